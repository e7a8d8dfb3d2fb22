// A driver that fails mid-sync gives a FAILED task with its reason, and the resources of the
// previous sync stay as they were.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, STORAGE, SYNC, TASKS, UPDATE_ACCESS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';

const t = testEnv('failing');
let delfin: DelfinProcess;

before(async () => {
  delfin = await startDelfin('all', t.env);
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

const snapshot = async (url: string, id: string) => {
  const { storage } = await gql(url, STORAGE, { id, first: 1000 });
  return {
    pools: storage.pools.edges.map((e: any) => e.node),
    volumes: storage.volumes.edges.map((e: any) => e.node),
    total: storage.volumes.totalCount,
  };
};

for (const failure of [{ failAt: 'pools' }, { failAt: 'volumes' }, { failAfterVolumes: 300 }]) {
  test(`a sync failing (${JSON.stringify(failure)}) ends FAILED with the reason and keeps the previous resources`, async () => {
    const url = delfin.url;
    const host = `10.3.0.${Object.values(failure)[0] === 300 ? 3 : String(failure.failAt).length}`;
    const attrs = { pools: 3, volumes: 600, pageSize: 200, seed: 3 };
    const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput(host, attrs) });
    const { tasks } = await gql(url, TASKS, { storageId: s.id });
    assert.equal((await waitForTask(url, tasks.edges[0].node.id)).status, 'SUCCEEDED');
    const before = await snapshot(url, s.id);
    assert.equal(before.total, 600);

    // The same array now fails; the change of attributes for the next sync goes through the API.
    await gql(url, UPDATE_ACCESS, { id: s.id, input: { extraAttributes: { ...attrs, ...failure, revision: 1 } } });
    const { syncStorage } = await gql(url, SYNC, { id: s.id });
    const failed = await waitForTask(url, syncStorage.id);
    assert.equal(failed.status, 'FAILED');
    assert.match(failed.error, /driver error while reading (pools|volumes)/);
    assert.equal(failed.attempts, 1, 'a driver error is not retried blindly');

    const { storage } = await gql(url, STORAGE, { id: s.id, first: 1000 });
    assert.equal(storage.syncState, 'FAILED');
    const afterFailure = await snapshot(url, s.id);
    assert.equal(afterFailure.total, 600, 'no volume was deleted by a sync that did not see the whole array');
    assert.deepEqual(afterFailure.pools.map((p: any) => p.id), before.pools.map((p: any) => p.id));
  });
}

test('an address that now answers for another array (another serial number): the sync FAILS naming both, the storage keeps its state', async () => {
  const url = delfin.url;
  const attrs = { pools: 2, volumes: 50, seed: 7 };
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput('10.3.1.1', attrs) });
  const { tasks } = await gql(url, TASKS, { storageId: s.id });
  assert.equal((await waitForTask(url, tasks.edges[0].node.id)).status, 'SUCCEEDED');
  const before = await snapshot(url, s.id);

  // The array at this address is replaced by another (the simulator's seed makes its serial
  // number). Through the API such access info is refused (CONFLICT); the device itself changes here.
  await withDb(t.databaseUrl, (c) =>
    c.query(`update access_info set extra_attributes = $2 where storage_id = $1`, [s.id, JSON.stringify({ ...attrs, seed: 8 })]),
  );
  const { syncStorage } = await gql(url, SYNC, { id: s.id });
  const failed = await waitForTask(url, syncStorage.id);
  assert.equal(failed.status, 'FAILED');
  assert.match(failed.error, /now reports serial number \S+, but the storage was registered as \S+; update its access info/);
  const { storage } = await gql(url, STORAGE, { id: s.id, first: 1000 });
  assert.equal(storage.syncState, 'FAILED');
  assert.deepEqual(await snapshot(url, s.id), before, 'none of the other array was written over this one');
});
