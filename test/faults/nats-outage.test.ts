// NATS fails (issue #7): with the bus down a mutation answers UNAVAILABLE and leaves no row
// behind; when NATS comes back, api and workers reconnect by themselves; NATS restarted under
// load loses no task (JetStream keeps the queue on disk; every accepted task ends, with exact
// counts). The test runs its own nats-server, so stopping it disturbs no other test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { SYNC_ALL } from '../support/tasks.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { policyFile } from '../support/policy-file.js';
import { startPrivateNats, type PrivateNats } from '../support/nats-server.js';

let nats: PrivateNats;
let t: TestEnv;
let api: DelfinProcess;
let worker: DelfinProcess;

const counts = (url: string) =>
  withDb(url, async (c) => {
    const { rows } = await c.query(`select (select count(*)::int from storage) as storages, (select count(*)::int from task) as tasks`);
    return rows[0] as { storages: number; tasks: number };
  });

async function ready(url: string, timeoutMs = 30_000): Promise<void> {
  const readyz = url.replace('/graphql', '/readyz');
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(readyz).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error('the api did not become ready again');
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  nats = await startPrivateNats();
  t = testEnv('faultnats', { NATS_URL: nats.url, DELFIN_CONFIG: policyFile({ worker: { ackWaitSeconds: 5 }, sync: { leaseSeconds: 5 } }) });
  api = await startDelfin('api', t.env);
  worker = await startDelfin('worker', t.env);
});

after(async () => {
  await worker?.stop();
  await api?.stop();
  await nats?.destroy();
  await t?.cleanup();
});

test('NATS down: mutations answer UNAVAILABLE and leave nothing half-created; back up, everything reconnects', async () => {
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.7.0.1', { volumes: 50 }) });
  await withDb(t.databaseUrl, async (c) => {
    const deadline = Date.now() + 30_000;
    while ((await c.query(`select 1 from task where storage_id = $1 and status = 'SUCCEEDED'`, [s.id])).rowCount === 0) {
      assert.ok(Date.now() < deadline, 'the first sync ended');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  await nats.stop();
  const before = await counts(t.databaseUrl);

  const register = await gqlError(api.url, REGISTER, { input: fakeInput('10.7.0.2', { volumes: 50 }) });
  assert.equal(register.code, 'UNAVAILABLE');
  assert.match(register.message, /task bus \(NATS JetStream\) is unavailable, so nothing was changed/);
  const sync = await gqlError(api.url, SYNC, { id: s.id });
  assert.equal(sync.code, 'UNAVAILABLE');
  assert.deepEqual(await counts(t.databaseUrl), before, 'no storage and no task row was left behind');
  const state = await withDb(t.databaseUrl, async (c) => (await c.query('select sync_state from storage where id = $1', [s.id])).rows[0].sync_state);
  assert.equal(state, 'SYNCED', 'the refused sync did not leave the storage SYNCING');
  const readyz = await fetch(api.url.replace('/graphql', '/readyz'));
  assert.equal(readyz.status, 503, '/readyz says NATS is down');

  await nats.start();
  await ready(api.url);
  const { syncStorage } = await gql(api.url, SYNC, { id: s.id });
  assert.equal((await waitForTask(api.url, syncStorage.id, 60_000)).status, 'SUCCEEDED', 'the worker reconnected and ran the task');
});

test('NATS restarted under load: every accepted task ends SUCCEEDED with exact counts', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) {
    const { registerStorage } = await gql(api.url, REGISTER, { input: fakeInput(`10.7.1.${i}`, { pools: 3, volumes: 4000, pageSize: 200, latencyMs: 20, seed: i }) });
    ids.push(registerStorage.id);
  }
  // The first syncs are running; restart NATS in the middle of them.
  await new Promise((r) => setTimeout(r, 1500));
  await nats.stop();
  await new Promise((r) => setTimeout(r, 2000));
  await nats.start();
  await ready(api.url);
  const { syncAllStorages } = await gql(api.url, SYNC_ALL, {});
  const accepted = await withDb(t.databaseUrl, async (c) => (await c.query(`select id from task where storage_id = any($1::uuid[])`, [ids])).rows.map((r) => r.id as string));
  for (const id of [...accepted, ...syncAllStorages.map((x: { id: string }) => x.id)]) {
    const task = await waitForTask(api.url, id, 120_000);
    assert.equal(task.status, 'SUCCEEDED', `task ${id}: ${task.error ?? task.message}`);
  }
  const volumes = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select storage_id, count(*)::int as n from volume where storage_id = any($1::uuid[]) group by storage_id`, [ids])).rows,
  );
  assert.equal(volumes.length, ids.length);
  for (const v of volumes) assert.equal(v.n, 4000, `storage ${v.storage_id} has every volume, once`);
});
