// Listing storages: filters (vendor, model, status, sync state, part of the name) and cursor
// paging that visits each storage once; tasks newest first, filtered by status.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { firstTaskOf } from '../support/tasks.js';

const t = testEnv('storages');
let delfin: DelfinProcess;

before(async () => {
  delfin = await startDelfin('all', t.env);
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

const LIST = `query($first: Int, $after: String, $filter: StorageFilter) {
  storages(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name syncState } } }
}`;

test('filters and cursor paging over storages', async () => {
  const url = delfin.url;
  const names = ['lab-alpha', 'lab-beta', 'prod-gamma', 'prod-delta', 'Lab_Epsilon'];
  for (const [i, name] of names.entries()) {
    const { registerStorage } = await gql(url, REGISTER, { input: fakeInput(`10.16.0.${i}`, { volumes: 10 }, name) });
    await waitForTask(url, (await firstTaskOf(url, registerStorage.id)).id);
  }
  const count = async (filter: Record<string, unknown>) => (await gql(url, LIST, { filter })).storages.totalCount;
  assert.equal(await count({}), 5);
  assert.equal(await count({ nameContains: 'lab' }), 3, 'case-insensitive');
  assert.equal(await count({ nameContains: '_' }), 1, 'an underscore is a character, not a wildcard');
  assert.equal(await count({ vendor: 'fake_storage', model: 'fake_driver', status: 'NORMAL', syncState: 'SYNCED' }), 5);
  assert.equal(await count({ vendor: 'acme' }), 0);
  assert.equal(await count({ syncState: 'NEVER_SYNCED' }), 0);

  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const { storages }: any = await gql(url, LIST, { first: 2, after });
    assert.equal(storages.totalCount, 5);
    seen.push(...storages.edges.map((e: any) => e.node.name));
    after = storages.pageInfo.hasNextPage ? storages.pageInfo.endCursor : null;
    pages += 1;
  } while (after);
  assert.equal(pages, 3);
  assert.deepEqual(seen, names, 'each storage once, in registration order');

  const { tasks } = await gql(url, `{ tasks(status: [SUCCEEDED], first: 2) { totalCount edges { node { status createdAt } } } }`);
  assert.equal(tasks.totalCount, 5);
  assert.ok(tasks.edges[0].node.createdAt >= tasks.edges[1].node.createdAt, 'newest first');
});
