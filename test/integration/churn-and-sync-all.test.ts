// Re-syncs of a changing array count exactly what changed: the simulator's churn helpers say
// which volumes each revision adds, changes and removes, and every sync's SyncStats must say
// the same. Then syncAllStorages queues one sync per storage, and a second call gets the open
// ones back instead of queueing more.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, STORAGE, SYNC, TASK, UPDATE_ACCESS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { ENDED, firstTaskOf, SYNC_ALL } from '../support/tasks.js';
import { countVolumes, diffRevisions } from '../../src/drivers/fake/fake-churn.js';
import { parseFakeOptions } from '../../src/drivers/fake/fake-options.js';

const t = testEnv('churn');
let delfin: DelfinProcess;
let url: string;

before(async () => {
  delfin = await startDelfin('all', t.env);
  url = delfin.url;
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

const HOST = '10.13.0.1';
const ATTRS = { pools: 4, volumes: 3000, seed: 11 };
let churned: { id: string };

/** The simulator's options for the access info the storage has at `revision`. */
function optionsAt(revision: number) {
  const input = fakeInput(HOST, { ...ATTRS, revision });
  return parseFakeOptions({ rest: input.rest, extraAttributes: input.extraAttributes });
}

test('each revision of the array: the sync counts exactly the volumes added, changed and removed', async () => {
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput(HOST, ATTRS, 'churning-array') });
  churned = s;
  const first = await waitForTask(url, (await firstTaskOf(url, s.id)).id);
  assert.equal(first.status, 'SUCCEEDED', first.error);
  assert.deepEqual(first.stats, { poolsAdded: 4, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 3000, volumesUpdated: 0, volumesDeleted: 0 });

  for (const r of [1, 2, 3]) {
    const { updateAccessInfo } = await gql(url, UPDATE_ACCESS, { id: s.id, input: { extraAttributes: { ...ATTRS, revision: r } } });
    assert.equal(updateAccessInfo.accessInfo.extraAttributes.revision, r);
    const { syncStorage } = await gql(url, SYNC, { id: s.id });
    const done = await waitForTask(url, syncStorage.id);
    assert.equal(done.status, 'SUCCEEDED', done.error);

    const diff = diffRevisions(optionsAt(r), r - 1, r);
    assert.ok(diff.added.length > 0 && diff.changed.length > 0 && diff.removed.length > 0, `revision ${r} changes something`);
    assert.deepEqual(
      done.stats,
      {
        poolsAdded: 0,
        poolsUpdated: 0,
        poolsDeleted: 0,
        volumesAdded: diff.added.length,
        volumesUpdated: diff.changed.length,
        volumesDeleted: diff.removed.length,
      },
      `revision ${r - 1} → ${r}`,
    );
    const { storage } = await gql(url, STORAGE, { id: s.id, first: 1 });
    assert.equal(storage.volumes.totalCount, countVolumes(optionsAt(r)), `volumes at revision ${r}`);
    assert.equal(storage.pools.totalCount, 4);
    assert.equal(storage.syncState, 'SYNCED');
  }
});

test('syncAllStorages: one sync per storage; a second call returns the syncs still open; all succeed', async () => {
  assert.ok(churned, 'the first test registered a storage');
  // Four more arrays, slowed down so their syncs last a couple of seconds each.
  const others: Array<{ id: string }> = [];
  for (let i = 2; i <= 5; i++) {
    const { registerStorage } = await gql(url, REGISTER, {
      input: fakeInput(`10.13.0.${i}`, { pools: 2, volumes: 1000, pageSize: 250, latencyMs: 250, seed: i }, `array-${i}`),
    });
    others.push(registerStorage);
  }
  for (const s of others) {
    const first = await waitForTask(url, (await firstTaskOf(url, s.id)).id);
    assert.equal(first.status, 'SUCCEEDED', first.error);
  }
  const allIds = [churned.id, ...others.map((s) => s.id)].sort();

  const { syncAllStorages: firstCall } = await gql(url, SYNC_ALL);
  const { syncAllStorages: secondCall } = await gql(url, SYNC_ALL);
  assert.equal(firstCall.length, 5, 'one task per storage');
  assert.deepEqual(firstCall.map((x: any) => x.storageId).sort(), allIds, 'every storage, each once');
  for (const task of firstCall) {
    assert.equal(task.kind, 'SYNC_RESOURCES');
    assert.ok(['QUEUED', 'RUNNING'].includes(task.status), `${task.storageId}: ${task.status}`);
  }
  assert.equal(secondCall.length, 5);
  assert.deepEqual(secondCall.map((x: any) => x.storageId).sort(), allIds);

  const firstBy = new Map<string, any>(firstCall.map((x: any) => [x.storageId, x]));
  const secondBy = new Map<string, any>(secondCall.map((x: any) => [x.storageId, x]));
  for (const s of others) {
    // Each of these syncs takes more than a second: still open at the second call.
    assert.equal(secondBy.get(s.id).id, firstBy.get(s.id).id, `the open sync of ${s.id} is returned again, not doubled`);
  }
  for (const id of allIds) {
    if (secondBy.get(id).id === firstBy.get(id).id) continue;
    // Only a sync that had already ended may be replaced by a new one.
    const { task } = await gql(url, TASK, { id: firstBy.get(id).id });
    assert.ok(ENDED.includes(task.status), `a new sync of ${id} while the first was ${task.status}`);
  }

  const ids = new Set([...firstCall, ...secondCall].map((x: any) => x.id));
  for (const id of ids) {
    const done = await waitForTask(url, id);
    assert.equal(done.status, 'SUCCEEDED', `${id}: ${done.error}`);
  }
  const { tasks } = await gql(url, `{ tasks(status: [QUEUED, RUNNING]) { totalCount } }`);
  assert.equal(tasks.totalCount, 0, 'nothing is left open');
});
