// One connection pool per process, its size in the configuration (issue #13 item 5): a delfin
// running every role, with DELFIN_DATABASE_POOL_SIZE=3, never holds more than 3 connections to
// its database, however many syncs and queries run at once (MikroORM connects only to migrate,
// and closes before the roles start).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';

const POOL = 3;
const t = testEnv('dbpool', { DELFIN_DATABASE_POOL_SIZE: String(POOL), DELFIN_WORKER_CONCURRENCY: '2' });
let delfin: DelfinProcess;
const watcher = new pg.Client({ connectionString: t.databaseUrl.replace(/\/[^/]+$/, '/postgres') });

before(async () => {
  delfin = await startDelfin('all', t.env);
  await watcher.connect();
});

after(async () => {
  await watcher.end();
  await delfin?.stop();
  await t.cleanup();
});

const STORAGES = `query { storages(first: 10) { totalCount edges { node { id syncState accessInfo { rest { host } }
  pools(first: 5) { totalCount edges { node { id name } } } volumes(first: 20) { totalCount edges { node { id pool { name } } } } } } } }`;

test(`every read and write of a process goes through its one pool of ${POOL} connections`, { timeout: 120_000 }, async () => {
  const database = new URL(t.databaseUrl).pathname.slice(1);
  let most = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await watcher.query('select count(*)::int as n from pg_stat_activity where datname = $1', [database]);
      most = Math.max(most, rows[0].n as number);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const registered = await Promise.all(
    [1, 2, 3, 4].map((i) => gql(delfin.url, REGISTER, { input: fakeInput(`10.13.5.${i}`, { pools: 3, volumes: 2000, pageSize: 200, seed: i }) })),
  );
  const { tasks } = await gql(delfin.url, `query { tasks(first: 10) { edges { node { id } } } }`);
  // Queries while the syncs run.
  for (let i = 0; i < 10; i++) await Promise.all([gql(delfin.url, STORAGES), gql(delfin.url, STORAGES), gql(delfin.url, STORAGES)]);
  for (const { node } of tasks.edges) assert.equal((await waitForTask(delfin.url, node.id, 90_000)).status, 'SUCCEEDED');
  sampling = false;
  await sampler;

  const { storages } = await gql(delfin.url, STORAGES);
  assert.equal(storages.totalCount, registered.length);
  for (const { node } of storages.edges) assert.deepEqual([node.syncState, node.volumes.totalCount, node.pools.totalCount], ['SYNCED', 2000, 3]);
  assert.ok(most > 0, 'the sampler saw the process connected');
  assert.ok(most <= POOL, `at most ${POOL} connections at once (saw ${most})`);
});
