// The README's first session, as a client would run it against `delfin all`: register a
// simulated array, watch a sync over graphql-ws, read the resources back over HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe } from '../support/graphql.js';
import { fakeInput, REGISTER, STORAGE, SYNC, TASK_EVENTS, TASKS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';

const t = testEnv('e2e_first');
let delfin: DelfinProcess;

before(async () => {
  delfin = await startDelfin('all', t.env);
});

after(async () => {
  const code = await delfin.stop();
  await t.cleanup();
  assert.equal(code, 0, `delfin all should exit 0 on SIGTERM; output:\n${delfin.output()}`);
});

test('register 5 pools and 2 000 volumes, watch a second sync live, read counts and capacities', async () => {
  const url = delfin.url;
  // latencyMs slows every driver call, so the sync lasts long enough to be watched page by page.
  const { registerStorage: storage } = await gql(url, REGISTER, {
    input: fakeInput('10.1.0.1', { pools: 5, volumes: 2000, pageSize: 500, latencyMs: 150 }, 'lab-array'),
  });
  assert.equal(storage.name, 'lab-array');
  assert.equal(storage.syncState, 'SYNCING', 'registration queues the first sync and says so');

  const { tasks } = await gql(url, TASKS, { storageId: storage.id });
  assert.equal(tasks.totalCount, 1);
  const first = await waitForTask(url, tasks.edges[0].node.id);
  assert.equal(first.status, 'SUCCEEDED', first.error);
  assert.deepEqual(first.stats, { poolsAdded: 5, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 2000, volumesUpdated: 0, volumesDeleted: 0 });

  // A subscription to a task that already ended still delivers its end, then completes.
  const late = subscribe(url, TASK_EVENTS, { taskId: first.id });
  await late.completed;
  assert.deepEqual(late.received.map((e: any) => e.taskEvents.type), ['SUCCEEDED']);

  const { syncStorage: second } = await gql(url, SYNC, { id: storage.id, options: { priority: 'HIGH' } });
  assert.equal(second.kind, 'SYNC_RESOURCES');
  assert.equal(second.priority, 'HIGH');
  const watch = subscribe(url, TASK_EVENTS, { taskId: second.id });
  await watch.completed;
  const events = watch.received.map((e: any) => e.taskEvents);

  // In order: versions grow, progress never goes back, the end comes last.
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i].task.version > events[i - 1].task.version, 'events arrive in version order');
    assert.ok(events[i].task.progress >= events[i - 1].task.progress, 'progress never goes back');
  }
  assert.equal(events.at(-1).type, 'SUCCEEDED');
  assert.equal(events.at(-1).task.progress, 1);
  assert.ok(events.slice(0, -1).every((e: any) => ['QUEUED', 'STARTED', 'PROGRESS'].includes(e.type)));
  const phases = new Set(events.filter((e: any) => e.type === 'PROGRESS').map((e: any) => e.task.phase));
  for (const phase of ['pools', 'volumes', 'cleanup']) assert.ok(phases.has(phase), `a PROGRESS event for phase ${phase}`);
  // One PROGRESS event per page of 500 volumes, unless the database fell behind the listing
  // (pages then share an event): counts that grow, ending at the whole array.
  const pages = events
    .filter((e: any) => e.type === 'PROGRESS' && /^\d+ of 2000 volumes$/.test(e.task.message ?? ''))
    .map((e: any) => Number(/^(\d+)/.exec(e.task.message)![1]));
  assert.ok(pages.length >= 1 && pages.length <= 4, `page events: ${JSON.stringify(pages)}`);
  assert.ok(pages.every((n: number, i: number) => n % 500 === 0 && (i === 0 || n > pages[i - 1]!)), `page counts grow by pages: ${JSON.stringify(pages)}`);
  assert.equal(pages.at(-1), 2000, 'the last page event counts every volume');
  assert.deepEqual(events.at(-1).task.stats, { poolsAdded: 0, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 0, volumesUpdated: 0, volumesDeleted: 0 });

  const { storage: read } = await gql(url, STORAGE, { id: storage.id, first: 1000 });
  assert.equal(read.syncState, 'SYNCED');
  assert.ok(read.lastSyncedAt);
  assert.equal(read.pools.totalCount, 5);
  assert.equal(read.volumes.totalCount, 2000);
  assert.equal(read.accessInfo.rest.username, 'admin');
  assert.equal(JSON.stringify(read).includes('p4ssw0rd'), false, 'the password never leaves the server');
  const poolTotal = read.pools.edges.reduce((sum: bigint, e: any) => sum + BigInt(e.node.totalCapacity), 0n);
  assert.equal(poolTotal, BigInt(read.totalCapacity), "the pools' capacities add up to the array's");
  assert.ok(BigInt(read.totalCapacity) > 2n ** 31n, 'capacities above 2^31 survive the API');
  for (const e of read.pools.edges) {
    assert.equal(BigInt(e.node.usedCapacity) + BigInt(e.node.freeCapacity), BigInt(e.node.totalCapacity));
  }
  const poolIds = new Set(read.pools.edges.map((e: any) => e.node.nativeStoragePoolId));
  for (const e of read.volumes.edges) {
    assert.equal(e.node.pool.nativeStoragePoolId, e.node.nativeStoragePoolId, 'a volume resolves its pool');
    assert.ok(poolIds.has(e.node.nativeStoragePoolId));
    assert.equal(e.node.storage.id, storage.id);
  }

  // Paging through every volume visits each exactly once.
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const { storage: page }: any = await gql(url, STORAGE, { id: storage.id, first: 700, after: cursor });
    for (const e of page.volumes.edges) seen.add(e.node.nativeVolumeId);
    cursor = page.volumes.pageInfo.hasNextPage ? page.volumes.pageInfo.endCursor : null;
  } while (cursor);
  assert.equal(seen.size, 2000);
});
