// Past one machine (#17): the task stream on a real three-node NATS JetStream cluster (three
// nats-server processes on loopback, stream replicas 3). The stream's leader is killed (SIGKILL)
// during a sync-all of a few hundred storages and started again: every task ends SUCCEEDED with
// exact counts, the node rejoins as a current replica, and a client calling the API throughout
// (registrations, each publishing a sync) and a sync-all right after the rejoin are never refused:
// a publish that meets the election or the catching-up replica is retried (bus.publishRetrySeconds).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type StreamInfo } from '@nats-io/jetstream';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, GraphQLRequestError } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { SYNC_ALL } from '../support/tasks.js';
import { withDb } from '../support/db.js';
import { policyFile } from '../support/policy-file.js';
import { fleetHost, registerFleet, waitForIdle } from '../support/fleet.js';
import { startNatsCluster, type NatsCluster } from '../support/nats-server.js';
import { busNames } from '../../src/bus/subjects.js';

const STORAGES = Number(process.env.TEST_CLUSTER_STORAGES ?? 300);
const ATTRS = { pools: 2, volumes: 20 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const since = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

let cluster: NatsCluster;
let t: TestEnv;
let admin: NatsConnection;
let api: DelfinProcess;
const workers: DelfinProcess[] = [];

before(async () => {
  cluster = await startNatsCluster(3);
  t = testEnv('natscluster', {
    NATS_URL: cluster.url,
    DELFIN_STREAM_REPLICAS: '3',
    // Registration schedules polling in the job store; PostgreSQL's needs no MongoDB here.
    SCHEDULER_BACKEND: 'postgres',
    // A delivery lost with the killed node comes again within seconds.
    DELFIN_CONFIG: policyFile({ worker: { ackWaitSeconds: 5, concurrency: 8 }, sync: { leaseSeconds: 5 } }),
  });
  admin = await connect({ servers: cluster.url.split(',') });
  api = await startDelfin('api', t.env);
  workers.push(...(await Promise.all([startDelfin('worker', t.env), startDelfin('worker', t.env)])));
});

after(async () => {
  await Promise.all([...workers, api].map((p) => p?.stop()));
  await admin?.close();
  await cluster?.destroy();
  await t?.cleanup();
});

/** The task stream's info, asked again while the cluster has no leader to answer. */
async function streamInfo(timeoutMs = 30_000): Promise<StreamInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The JetStream API itself may be without a (meta) leader for a while: asked again too.
    const info = await jetstreamManager(admin, { checkAPI: false })
      .then((jsm) => jsm.streams.info(busNames(t.namespace).taskStream))
      .catch(() => undefined);
    if (info?.cluster?.leader) return info;
    if (Date.now() > deadline) throw new Error('the task stream has no leader');
    await sleep(100);
  }
}

/** Resolves once `name` is back among the stream's replicas (or its leader) and every replica is current. */
async function rejoined(name: string, timeoutMs = 60_000): Promise<StreamInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await streamInfo();
    const replicas = info.cluster?.replicas ?? [];
    const back = info.cluster?.leader === name || replicas.some((r) => r.name === name);
    if (back && replicas.length === 2 && replicas.every((r) => r.current && !r.offline)) return info;
    if (Date.now() > deadline) throw new Error(`${name} did not rejoin: ${JSON.stringify(info.cluster)}`);
    await sleep(200);
  }
}

/** Registers a new storage every 200 ms (each one publishes its first sync) until stopped; the refusals. */
function callThroughout(url: string, t0: number) {
  const refusals: string[] = [];
  let calls = 0;
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      await gql(url, REGISTER, { input: fakeInput(fleetHost(72, n), ATTRS, `caller-${n}`) }).then(
        () => calls++,
        (err: Error) => refusals.push(`at ${since(t0)}: ${err instanceof GraphQLRequestError ? `${err.code}: ${err.message}` : err.message}`),
      );
      await sleep(200);
    }
  })();
  return {
    refusals,
    async stop() {
      running = false;
      await loop;
      return { calls, refusals };
    },
  };
}

test(`the stream leader killed during a sync-all of ${STORAGES} storages: every task SUCCEEDED, the node rejoins, no request refused`, async (ctx) => {
  const before = await streamInfo();
  assert.equal(before.config.num_replicas, 3, 'the task stream has three replicas');
  const ids = await registerFleet(api.url, STORAGES, ATTRS, 71);
  await waitForIdle(api.url, 120_000);

  const t0 = Date.now();
  const caller = callThroughout(api.url, t0);
  const { syncAllStorages: first } = await gql(api.url, SYNC_ALL);
  // One sync per storage: the fleet's, and those the client registered before the sync-all ran.
  const firstStorages = new Set(first.map((x: { storageId: string }) => x.storageId));
  assert.equal(firstStorages.size, first.length, 'one sync per storage');
  assert.ok(ids.every((id) => firstStorages.has(id)), 'a sync for every storage of the fleet');

  const leader = (await streamInfo()).cluster!.leader!;
  await cluster.node(leader).kill();
  const killedAt = since(t0);
  const elected = await streamInfo();
  const electedAt = since(t0);
  assert.notEqual(elected.cluster!.leader, leader, 'another node leads the stream');
  await sleep(2000);
  await cluster.node(leader).start();
  const startedAt = since(t0);
  const after = await rejoined(leader);
  ctx.diagnostic(`killed the leader ${leader} at ${killedAt}; ${elected.cluster!.leader} was elected by ${electedAt}; ` +
    `${leader} started at ${startedAt}, current again by ${since(t0)}: ${JSON.stringify(after.cluster)}`);

  // A sync-all made as soon as the node is back publishes a sync for every storage whose first
  // ended, and coalesces with those still open: none of it is refused.
  const { syncAllStorages: second } = await gql(api.url, SYNC_ALL);
  await sleep(3000);
  await waitForIdle(api.url, 120_000);
  const { calls, refusals } = await caller.stop();
  await waitForIdle(api.url, 60_000);
  ctx.diagnostic(`${calls} registrations by a client during the kill and rejoin; second sync-all: ${second.length} tasks`);
  assert.deepEqual(refusals, [], 'no request was refused');
  assert.ok(calls > 0);

  const rows = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select s.name, t.id, t.kind, t.status, t.error from task t join storage s on s.id = t.storage_id`)).rows,
  );
  const notSucceeded = rows.filter((r) => r.status !== 'SUCCEEDED');
  assert.deepEqual(notSucceeded, [], 'every task SUCCEEDED');
  const taskIds = new Set(rows.map((r) => r.id));
  for (const task of [...first, ...second]) assert.ok(taskIds.has(task.id), `task ${task.id} of a sync-all is recorded`);
  const fleetSyncs = rows.filter((r) => r.kind === 'SYNC_RESOURCES' && r.name.startsWith('fleet-'));
  const secondCreated = second.filter((x: { storageId: string }) => ids.includes(x.storageId)).length;
  assert.equal(secondCreated, STORAGES, 'the second sync-all covered every storage of the fleet');
  // Each fleet storage: its first sync, the sync-all during the kill, the sync-all after the rejoin
  // (the first sync-all's tasks may still have been open then: those coalesced).
  const distinct = new Set([...first, ...second].map((x: { id: string }) => x.id));
  const fleetSyncAllTasks = [...distinct].filter((id) => fleetSyncs.some((r) => r.id === id)).length;
  assert.equal(fleetSyncs.length, STORAGES + fleetSyncAllTasks, 'no task was lost or made twice');

  const counts = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select (select count(*)::int from storage) as storages, (select count(*)::int from volume) as volumes,
                           (select count(*)::int from storage_pool) as pools,
                           (select count(*)::int from storage where sync_state <> 'SYNCED') as unsynced`)).rows[0],
  );
  const storages = STORAGES + calls;
  assert.deepEqual(counts, { storages, volumes: storages * ATTRS.volumes, pools: storages * ATTRS.pools, unsynced: 0 });
});

test('an api started while the cluster has no leader waits for it, not ready, and serves once the nodes are back', async (ctx) => {
  const [, n2, n3] = cluster.nodes;
  await Promise.all([n2!.kill(), n3!.kill()]); // one node of three: no quorum, JetStream does not answer
  const starting = startDelfin('api', t.env, 120_000);
  const outcome = starting.then(() => 'ready' as const, (err: Error) => err.message);
  // Long enough for its first try to fail (a JetStream request is asked again for up to ~15 s
  // before it fails), so it has said why it waits.
  await sleep(25_000);
  // Still waiting, not gone: a supervisor sees a process that is not ready yet.
  assert.equal(await Promise.race([outcome, sleep(0).then(() => 'waiting')]), 'waiting');
  const t0 = Date.now();
  await Promise.all([n2!.start(), n3!.start()]);
  assert.equal(await outcome, 'ready');
  const late = await starting;
  ctx.diagnostic(`ready ${since(t0)} after the two nodes were started again`);
  try {
    assert.match(late.output(), /NATS JetStream does not answer yet .*; waiting for it/);
    const { registerStorage } = await gql(late.url, REGISTER, { input: fakeInput('10.73.0.1', ATTRS, 'after-the-wait') });
    await waitForIdle(late.url, 120_000);
    const { storage } = await gql(late.url, `query($id: ID!) { storage(id: $id) { syncState } }`, { id: registerStorage.id });
    assert.equal(storage.syncState, 'SYNCED', 'its first sync went through the bus and a worker');
  } finally {
    await late.stop();
  }
});
