// The scheduler's reconciler, driven directly: PostgreSQL (written through the api) says what
// is wanted, the job store (Agenda on the MongoDB-wire stand-in) is brought in line. Two
// reconcilers at once leave one job per key; a reconcile with nothing to do changes nothing
// (the next run of a periodic sync is not pushed back); lost jobs come back, jobs nothing wants go.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { CANCEL_TASK, DELETE_STORAGE } from '../support/tasks.js';
import { withDb } from '../support/db.js';
import { mongoStandIn, type StandIn } from '../support/mongo.js';
import { JobStoreProbe } from '../support/job-store.js';
import { SET_SCHEDULE } from '../support/scheduler-suite.js';
import { loadConfig } from '../../src/config.js';
import { startRoles, type RunningRoles } from '../../src/roles.js';
import { createLogger } from '../../src/logger.js';
import { Sql } from '../../src/db/sql.js';
import { openAgenda, type OpenAgenda } from '../../src/scheduler/agenda.js';
import type { JobStore } from '../../src/scheduler/job-store.js';
import { Reconciler } from '../../src/scheduler/reconciler.js';
import { COLLECT_PERFORMANCE_JOB, RUN_TASK_JOB, SYNC_STORAGE_JOB } from '../../src/scheduler/jobs.js';

let standIn: StandIn;
const t = testEnv('reconciler');
let system: RunningRoles;
let sql: Sql;
let store: JobStore;
const opened: OpenAgenda[] = [];
let probe: JobStoreProbe;
let url: string;

before(async () => {
  standIn = await mongoStandIn();
  // An api alone (it never opens the job store); the reconcilers below are the scheduler's.
  system = await startRoles(['api'], loadConfig({ ...t.env, MONGODB_URL: standIn.url }));
  url = system.api!.url;
  sql = new Sql(t.databaseUrl, 4);
  store = { kind: 'mongodb', url: standIn.url, namespace: t.namespace };
  probe = await JobStoreProbe.open(store);
});

after(async () => {
  await probe?.close();
  for (const o of opened) await o.close();
  await sql?.close();
  await system?.stop();
  await t.cleanup();
  await standIn?.stop();
});

async function reconciler(name: string): Promise<Reconciler> {
  const o = await openAgenda(store, { name });
  opened.push(o);
  return new Reconciler(o.agenda, sql, createLogger('warn', name));
}

test('two reconcilers at once leave one job per key; a second pass changes nothing; lost jobs come back; unwanted ones go', async () => {
  const [a, b] = await Promise.all([reconciler('reconciler-a'), reconciler('reconciler-b')]);
  const { registerStorage } = await gql(url, REGISTER, { input: fakeInput('10.78.0.1', { pools: 1, volumes: 2 }, 'reconciled') });
  const id = registerStorage.id as string;
  await gql(url, SET_SCHEDULE, { id, schedule: { enabled: true, intervalSeconds: 3600 } });
  const { syncStorage: later } = await gql(url, SYNC, { id, options: { runAt: new Date(Date.now() + 3_600_000).toISOString() } });
  assert.deepEqual(await probe.jobsOf(id), [], 'the api wrote PostgreSQL only');

  await Promise.all([a.reconcile(null), b.reconcile(null), a.reconcile([id]), b.reconcile([id])]);
  await a.reconcile(null); // a key made twice by the race keeps one job
  const names = async () => (await probe.jobsOf(id)).map((j) => j.name).sort();
  assert.deepEqual(await names(), [COLLECT_PERFORMANCE_JOB, RUN_TASK_JOB, SYNC_STORAGE_JOB], 'its periodic sync, its delayed sync and its array polling');
  const sync = (await probe.jobsOf(id)).find((j) => j.name === SYNC_STORAGE_JOB)!;
  const mirrored = await withDb(t.databaseUrl, async (c) => (await c.query('select next_run_at from sync_schedule where storage_id = $1', [id])).rows[0].next_run_at);
  assert.equal(mirrored.getTime(), new Date(sync.nextRunAt!).getTime(), 'Storage.syncSchedule shows the job\'s next run');

  assert.deepEqual(await b.reconcile(null), { saved: 0, removed: 0 }, 'in line: nothing to do');
  const again = (await probe.jobsOf(id)).find((j) => j.name === SYNC_STORAGE_JOB)!;
  assert.equal(new Date(again.nextRunAt!).getTime(), new Date(sync.nextRunAt!).getTime(), 'its next run was not pushed back');

  await probe.remove(SYNC_STORAGE_JOB, id);
  assert.deepEqual(await a.reconcile([id]), { saved: 1, removed: 0 }, 'a lost job comes back');

  await gql(url, SET_SCHEDULE, { id, schedule: { enabled: false } });
  await a.reconcile([id]);
  assert.equal((await probe.jobsOf(id)).find((j) => j.name === SYNC_STORAGE_JOB)?.disabled, true, 'a disabled schedule keeps its job, disabled');

  await gql(url, CANCEL_TASK, { id: later.id });
  await a.reconcile([id]);
  assert.equal((await probe.jobsOfTask(later.id)).length, 0, 'a cancelled task has no job');

  await gql(url, DELETE_STORAGE, { id });
  await b.reconcile(null);
  assert.deepEqual(await probe.jobsOf(id), [], 'a storage being deleted has no job');
});
