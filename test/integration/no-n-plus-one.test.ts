// Relations are loaded without N+1 queries: a page of storages with their sync schedules, pools,
// volumes and each volume's pool and storage costs the same number of SQL statements for 3
// storages as for 12. The api runs in this process so its statements can be counted at the pg driver.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { startRoles, type RunningRoles } from '../../src/roles.js';
import { testEnv } from '../support/env.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';

const t = testEnv('nplus1');
let system: RunningRoles;
let statements = 0;
const originalQuery = pg.Client.prototype.query;

before(async () => {
  system = await startRoles(['api', 'worker'], loadConfig(t.env));
  // Counts every statement the process sends (through its one pool).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements += 1;
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
});

after(async () => {
  pg.Client.prototype.query = originalQuery;
  await system.stop();
  await t.cleanup();
});

const NESTED = `query($first: Int) { storages(first: $first) { totalCount edges { node {
  id name accessInfo { rest { host } } syncSchedule { enabled intervalSeconds nextRunAt }
  pools(first: 10) { totalCount edges { node { id name storage { id } } } }
  volumes(first: 10) { totalCount edges { node { id pool { id name } storage { id name } } } }
} } } }`;

async function statementsFor(first: number): Promise<number> {
  const before = statements;
  const { storages } = await gql(system.api!.url, NESTED, { first });
  assert.equal(storages.edges.length, first);
  return statements - before;
}

test('a nested page of storages costs a fixed number of statements, whatever its size', async () => {
  const url = system.api!.url;
  for (let i = 0; i < 12; i++) {
    const { registerStorage } = await gql(url, REGISTER, { input: fakeInput(`10.13.0.${i}`, { pools: 3, volumes: 30, seed: i }) });
    const { tasks } = await gql(url, `query($id: ID) { tasks(storageId: $id) { edges { node { id } } } }`, { id: registerStorage.id });
    assert.equal((await waitForTask(url, tasks.edges[0].node.id)).status, 'SUCCEEDED');
  }
  const small = await statementsFor(3);
  const large = await statementsFor(12);
  assert.equal(large, small, `3 storages: ${small} statements, 12 storages: ${large}`);
  assert.ok(small <= 12, `a handful of statements per query (${small})`);
});
