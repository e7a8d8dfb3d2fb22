// PostgreSQL fails during syncs (issue #7). The outage is the test database's own: connections
// to it are refused and every open one is cut (what a restart does to the app), for a few
// seconds, without stopping the server other tests share. While it lasts the API answers
// UNAVAILABLE and /readyz 503; after it, every task ends (SUCCEEDED after a retry, or FAILED
// with a reason: none stays RUNNING), the processes need no restart, and a new sync gives exact
// data: nothing half-written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { SYNC_ALL } from '../support/tasks.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { policyFile } from '../support/policy-file.js';

const t = testEnv('faultpg', { DELFIN_CONFIG: policyFile({ worker: { ackWaitSeconds: 5, maxAttempts: 10 }, sync: { leaseSeconds: 5 } }) });
const database = new URL(t.databaseUrl).pathname.slice(1);
const admin = new pg.Client({ connectionString: t.databaseUrl.replace(/\/[^/]+$/, '/postgres') });
let api: DelfinProcess;
let worker: DelfinProcess;

async function outage(ms: number): Promise<void> {
  await admin.query(`alter database "${database}" with allow_connections false`);
  await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
  await new Promise((r) => setTimeout(r, ms));
}

const restore = () => admin.query(`alter database "${database}" with allow_connections true`);

before(async () => {
  api = await startDelfin('api', t.env);
  worker = await startDelfin('worker', t.env);
  await admin.connect();
});

after(async () => {
  await restore().catch(() => undefined);
  await admin.end();
  await worker?.stop();
  await api?.stop();
  await t.cleanup();
});

test('PostgreSQL cut off during syncs: UNAVAILABLE meanwhile, every task ends after, then exact data', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const { registerStorage } = await gql(api.url, REGISTER, { input: fakeInput(`10.8.0.${i}`, { pools: 3, volumes: 4000, pageSize: 200, latencyMs: 20, seed: i }) });
    ids.push(registerStorage.id);
  }
  await new Promise((r) => setTimeout(r, 1500)); // first syncs running
  await outage(3000);
  try {
    const readyz = await fetch(api.url.replace('/graphql', '/readyz'));
    assert.equal(readyz.status, 503);
    const err = await gqlError(api.url, `query { storages { totalCount } }`);
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /database \(PostgreSQL\) is unavailable/);
  } finally {
    await restore();
  }

  const deadline = Date.now() + 120_000;
  for (;;) {
    const open = await withDb(t.databaseUrl, async (c) => (await c.query(`select count(*)::int as n from task where status in ('QUEUED', 'RUNNING')`)).rows[0].n);
    if (open === 0) break;
    assert.ok(Date.now() < deadline, `${open} tasks still open two minutes after the outage`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const ended = await withDb(t.databaseUrl, async (c) => (await c.query(`select status, error from task`)).rows);
  for (const task of ended) {
    assert.ok(task.status === 'SUCCEEDED' || (task.status === 'FAILED' && task.error), `a task ended ${task.status} ${task.error ?? ''}`);
  }

  const { syncAllStorages } = await gql(api.url, SYNC_ALL, {});
  for (const task of syncAllStorages) assert.equal((await waitForTask(api.url, task.id, 120_000)).status, 'SUCCEEDED');
  const counts = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select s.id, (select count(*)::int from volume v where v.storage_id = s.id) as volumes,
       (select count(distinct native_volume_id)::int from volume v where v.storage_id = s.id) as distinct_volumes,
       (select count(*)::int from storage_pool p where p.storage_id = s.id) as pools from storage s`)).rows,
  );
  assert.equal(counts.length, ids.length);
  for (const c of counts) assert.deepEqual({ volumes: c.volumes, distinct: c.distinct_volumes, pools: c.pools }, { volumes: 4000, distinct: 4000, pools: 3 });
  assert.equal(api.proc.exitCode, null, 'the api kept running');
  assert.equal(worker.proc.exitCode, null, 'the worker kept running');
});
