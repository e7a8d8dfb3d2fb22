// Relations are loaded without N+1 queries: a page of storages with their sync schedules, pools,
// volumes and each volume's pool and storage, disks, controllers and ports costs the same number of SQL statements for 3
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
  // Counts every statement the process sends (through its one pool), but the figures it writes
  // in the background every 2 s (system_counter: driver calls, task ends), which no query causes.
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (!text?.includes('system_counter')) statements += 1;
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
  disks(first: 10) { totalCount edges { node { id nativeDiskId storage { id } } } }
  controllers(first: 10) { totalCount edges { node { id storage { id } } } }
  ports(first: 10) { totalCount edges { node { id nativeControllerId storage { id } } } }
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
    const { registerStorage } = await gql(url, REGISTER, { input: fakeInput(`10.13.0.${i}`, { pools: 3, volumes: 30, disks: 12, controllers: 2, portsPerController: 4, seed: i }) });
    const { tasks } = await gql(url, `query($id: ID) { tasks(storageId: $id) { edges { node { id } } } }`, { id: registerStorage.id });
    assert.equal((await waitForTask(url, tasks.edges[0].node.id)).status, 'SUCCEEDED');
  }
  const small = await statementsFor(3);
  const large = await statementsFor(12);
  assert.equal(large, small, `3 storages: ${small} statements, 12 storages: ${large}`);
  assert.ok(small <= 18, `a handful of statements per query (${small})`);
});

/** A top-level page of one kind, each node with its storage and that storage's access info. */
const topLevel = (kind: string) => `query($first: Int) {
  ${kind}(first: $first) { totalCount edges { node { id storage { id name accessInfo { rest { host } } } } } }
}`;

test('pages of disks, controllers and ports with their storages cost the same statements, whatever their size', async () => {
  const url = system.api!.url;
  const count = async (kind: string, first: number) => {
    const before = statements;
    const data = await gql(url, topLevel(kind), { first });
    assert.equal(data[kind].edges.length, first);
    return statements - before;
  };
  // 144 disks, 24 controllers and 96 ports, of 12 storages: a large page spans most storages.
  for (const [kind, large] of [['disks', 120], ['controllers', 24], ['ports', 90]] as const) {
    const small = await count(kind, 2);
    const big = await count(kind, large);
    assert.equal(big, small, `${kind}: 2 cost ${small} statements, ${large} cost ${big}`);
  }
});

test('volumes filtered and ordered under each storage cost the same statements, whatever the page of storages', async () => {
  const lookup = NESTED.replace('volumes(first: 10)', 'volumes(first: 10, filter: { nameContains: "VOL", status: [AVAILABLE] }, orderBy: { field: TOTAL_CAPACITY, direction: DESC })');
  const cost = async (first: number) => {
    const before = statements;
    const { storages } = await gql(system.api!.url, lookup, { first });
    assert.equal(storages.edges.length, first);
    assert.ok(storages.edges.every((e: any) => e.node.volumes.totalCount > 0 && e.node.volumes.edges.length === 10));
    return statements - before;
  };
  const small = await cost(3);
  assert.equal(await cost(12), small);
});

test('totalCount is counted only when a client selects it', async () => {
  const withCounts = await statementsFor(12);
  const before = statements;
  const { storages } = await gql(system.api!.url, NESTED.replaceAll('totalCount ', ''), { first: 12 });
  assert.equal(storages.edges.length, 12);
  // One count for the storages, one grouped count for each of the five kinds under them.
  assert.equal(withCounts - (statements - before), 6);
});
