// Delete wins over sync (rule 4): deleting a storage while its sync runs stops the sync, which
// ends CANCELLED, and a HIGH-priority REMOVE_STORAGE task removes the storage and every row of
// it. A sync still queued when its storage is deleted never runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { fakeInput, REGISTER, STORAGE, TASK } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { DELETE_STORAGE, firstTaskOf, TASK_WITH_STORAGE, waitForProgressAbove } from '../support/tasks.js';

// Jobs in PostgreSQL: with no MongoDB running, registration would wait 5 s for the job store
// (to schedule the array's performance polling) and the sync it queued would end unseen.
const t = testEnv('delsync', { SCHEDULER_BACKEND: 'postgres' });
let api: DelfinProcess;
let worker: DelfinProcess | undefined;

before(async () => {
  // The api and the worker apart, so the first test can queue work while no worker runs.
  api = await startDelfin('api', t.env);
});

after(async () => {
  await worker?.stop();
  await api.stop();
  await t.cleanup();
});

/** The sync the running-deletion test stopped, for the test of its message. */
let stoppedSync: any;

async function ensureWorker(): Promise<void> {
  worker ??= await startDelfin('worker', t.env);
}

/** Rows left of one storage, per table. */
async function rowsOf(storageId: string): Promise<Record<string, number>> {
  return withDb(t.databaseUrl, async (c) => {
    const counts: Record<string, number> = {};
    for (const [table, column] of [
      ['storage', 'id'],
      ['storage_pool', 'storage_id'],
      ['volume', 'storage_id'],
      ['access_info', 'storage_id'],
      ['storage_lease', 'storage_id'],
    ]) {
      const { rows } = await c.query(`select count(*)::int as n from ${table} where ${column} = $1`, [storageId]);
      counts[table] = rows[0].n;
    }
    return counts;
  });
}

const NOTHING_LEFT = { storage: 0, storage_pool: 0, volume: 0, access_info: 0, storage_lease: 0 };

test('a queued sync of a storage being deleted ends CANCELLED and never runs; deleting twice gives the same removal', async () => {
  const url = api.url;
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput('10.11.0.1', { pools: 2, volumes: 50, seed: 1 }) });
  const sync = await firstTaskOf(url, s.id);
  assert.equal(sync.status, 'QUEUED', 'no worker runs yet: the first sync waits');

  const { deleteStorage: removal } = await gql(url, DELETE_STORAGE, { id: s.id });
  assert.equal(removal.kind, 'REMOVE_STORAGE');
  assert.equal(removal.priority, 'HIGH');
  assert.equal(removal.storageId, s.id);
  assert.equal(removal.status, 'QUEUED');

  const { task: cancelled } = await gql(url, TASK, { id: sync.id });
  assert.equal(cancelled.status, 'CANCELLED', 'the queued sync is cancelled by the deletion at once');
  assert.match(cancelled.message ?? '', /storage is being deleted/);

  const { deleteStorage: again } = await gql(url, DELETE_STORAGE, { id: s.id });
  assert.equal(again.id, removal.id, 'deleting again while the removal is open returns the same removal task');

  await ensureWorker();
  const removed = await waitForTask(url, removal.id, 30_000);
  assert.equal(removed.status, 'SUCCEEDED', removed.error);

  const { task: syncAfter } = await gql(url, TASK_WITH_STORAGE, { id: sync.id });
  assert.equal(syncAfter.status, 'CANCELLED');
  assert.equal(syncAfter.attempts, 0, 'the cancelled sync was never delivered to a worker');
  assert.equal(syncAfter.startedAt, null);
  assert.equal(syncAfter.storage, null);
  const runs = await withDb(t.databaseUrl, (c) => c.query('select count(*)::int as n from task_run where task_id = $1', [sync.id]));
  assert.equal(runs.rows[0].n, 0, 'no worker ever ran the cancelled sync');
  assert.deepEqual(await rowsOf(s.id), NOTHING_LEFT);
});

test('deleting a storage while its sync runs: the sync ends CANCELLED, the removal SUCCEEDED, nothing of the storage is left', async () => {
  await ensureWorker();
  const url = api.url;
  // 20 pages of 500 volumes, 80 ms each: a sync of a few seconds, interrupted at about a fifth.
  const { registerStorage: s } = await gql(url, REGISTER, {
    input: fakeInput('10.11.0.2', { pools: 4, volumes: 10_000, pageSize: 500, latencyMs: 80, seed: 2 }, 'doomed-array'),
  });
  const sync = await firstTaskOf(url, s.id);
  // Past the first write: changes are written every quarter second (or per batch), not per page.
  await waitForProgressAbove(url, sync.id, 0.4);
  const partial = await rowsOf(s.id);
  assert.ok(partial.volume > 0 && partial.volume < 10_000, `the sync had written part of the volumes (${partial.volume})`);

  const started = Date.now();
  const { deleteStorage: removal } = await gql(url, DELETE_STORAGE, { id: s.id });
  assert.equal(removal.kind, 'REMOVE_STORAGE');
  assert.equal(removal.priority, 'HIGH');
  assert.equal(removal.storageId, s.id);
  assert.notEqual(removal.id, sync.id);

  const removed = await waitForTask(url, removal.id, 30_000);
  assert.equal(removed.status, 'SUCCEEDED', removed.error);
  const stopped = await waitForTask(url, sync.id, 30_000);
  assert.equal(stopped.status, 'CANCELLED', `the sync stops, it does not finish: ${JSON.stringify(stopped)}`);
  stoppedSync = stopped;
  assert.ok(Date.now() - started < 15_000, 'the removal did not wait for the whole sync');

  const { storage } = await gql(url, STORAGE, { id: s.id, first: 1 });
  assert.equal(storage, null, 'the storage is gone');
  const { task: syncAfter } = await gql(url, TASK_WITH_STORAGE, { id: sync.id });
  assert.equal(syncAfter.storage, null, "the sync's storage reads as null once deleted");
  assert.equal(syncAfter.storageId, s.id, 'the task keeps the id of the storage it was about');
  assert.deepEqual(await rowsOf(s.id), NOTHING_LEFT, 'no row of the storage is left');
});

test('the sync stopped by a deletion says the storage is being deleted', () => {
    assert.ok(stoppedSync, 'the previous test stopped a sync');
    assert.equal(stoppedSync.status, 'CANCELLED');
    assert.match(stoppedSync.message ?? '', /storage is being deleted/, `the sync says why it stopped: ${stoppedSync.message}`);
});

test('deleting a storage that does not exist is NOT_FOUND', async () => {
  for (const id of ['01a21d34-0000-7000-8000-000000000000', 'no-such-id']) {
    const err = await gqlError(api.url, DELETE_STORAGE, { id });
    assert.equal(err.code, 'NOT_FOUND', `${id}: ${err.message}`);
  }
});
