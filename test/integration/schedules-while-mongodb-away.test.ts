// Schedules live in PostgreSQL; only the scheduler talks to the job store (Agenda on MongoDB,
// here its wire stand-in). With MongoDB stopped an api starts, serves reads and takes schedule
// changes (a periodic sync, a metrics-config, a sync at a later time); nothing fires while the
// job store is away, and once MongoDB is back (empty: the stand-in keeps nothing) the
// scheduler applies every change it missed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { rmSync } from 'node:fs';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, TASK, TASKS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { policyFile } from '../support/policy-file.js';
import { mongoStandIn, mongoStandInAt, type StandIn } from '../support/mongo.js';
import { COLLECTIONS, METRICS_CONFIG, UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';
import { SCHEDULE_OF, SET_SCHEDULE } from '../support/scheduler-suite.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let standIn: StandIn | undefined;
let port: number;
let policy: string;
let t: TestEnv;
let api: DelfinProcess | undefined;
let worker: DelfinProcess;
let scheduler: DelfinProcess;

before(async () => {
  standIn = await mongoStandIn();
  port = Number(new URL(standIn.url).port);
  policy = policyFile({ scheduler: { processEveryMs: 200, lockLifetimeSeconds: 5 } });
  t = testEnv('mongoaway', { MONGODB_URL: standIn.url, DELFIN_MIN_INTERVAL_SECONDS: '1', DELFIN_CONFIG: policy });
  // A scheduler needs its job store to start; it then outlives MongoDB's absence. One after the
  // other: the first process creates the test's database.
  scheduler = await startDelfin('scheduler', t.env);
  worker = await startDelfin('worker', t.env);
});

after(async () => {
  await Promise.all([api?.stop(), worker?.stop(), scheduler?.stop()]);
  await t.cleanup();
  await standIn?.stop();
  rmSync(dirname(policy), { recursive: true, force: true });
});

async function tasksOf(storageId: string): Promise<any[]> {
  const { tasks } = await gql(api!.url, `query($s: ID) { tasks(storageId: $s, first: 500) { edges { node { id kind status scheduledFor createdAt } } } }`, { s: storageId });
  return tasks.edges.map((e: any) => e.node);
}

test('with MongoDB stopped the api serves and takes schedule changes; the scheduler applies them once MongoDB is back', { timeout: 180_000 }, async (ctx) => {
  await standIn!.stop();
  standIn = undefined;

  // An api starts with nothing answering at MONGODB_URL: it never connects to it.
  api = await startDelfin('api', t.env);
  const url = api.url;
  const { registerStorage } = await gql(url, REGISTER, { input: fakeInput('10.77.0.1', { pools: 1, volumes: 5 }, 'away-array') });
  const id = registerStorage.id as string;
  const [first] = await tasksOf(id);
  assert.equal((await waitForTask(url, first.id, 30_000)).status, 'SUCCEEDED', 'its first sync ran (workers need no MongoDB)');

  // Reads.
  const { storages } = await gql(url, `{ storages(first: 10) { totalCount edges { node { id name } } } }`);
  assert.equal(storages.totalCount, 1);
  const { metricsConfig } = await gql(url, METRICS_CONFIG, { storageId: id });
  assert.deepEqual(metricsConfig.arrayPolling, polling(true, 900), 'the policy defaults, saved at registration');

  // Changes, each answered at once from PostgreSQL.
  const started = Date.now();
  const { setSyncSchedule } = await gql(url, SET_SCHEDULE, { id, schedule: { enabled: true, intervalSeconds: 1 } });
  assert.deepEqual([setSyncSchedule.enabled, setSyncSchedule.intervalSeconds], [true, 1]);
  assert.ok(setSyncSchedule.nextRunAt, 'its next run is shown');
  const { updateMetricsConfig } = await gql(url, UPDATE_METRICS_CONFIG, { storageId: id, input: { poolPolling: polling(true, 1) } });
  assert.deepEqual(updateMetricsConfig.poolPolling, polling(true, 1));
  const runAt = new Date(Date.now() + 2000);
  const { syncStorage: later } = await gql(url, SYNC, { id, options: { runAt: runAt.toISOString(), priority: 'HIGH' } });
  assert.equal(later.status, 'SCHEDULED');
  ctx.diagnostic(`three changes answered in ${Date.now() - started} ms`);
  // A scheduler that knows its job store is away answers at once; waiting for it to give up on
  // each (the api waits 2 s at most) would take over 6 s.
  assert.ok(Date.now() - started < 4000, `the three changes were answered without waiting on MongoDB (${Date.now() - started} ms)`);
  const { storage } = await gql(url, SCHEDULE_OF, { id });
  assert.equal(storage.syncSchedule.intervalSeconds, 1, 'and read back');

  // Nothing fires while the job store is away, not even a sync whose time has come.
  await sleep(Math.max(0, runAt.getTime() - Date.now()) + 2000);
  assert.equal((await gql(url, TASK, { id: later.id })).task.status, 'SCHEDULED', 'the delayed sync waits for the job store');
  const whileAway = await tasksOf(id);
  assert.equal(whileAway.length, 2, `no periodic sync and no poll without the job store: ${JSON.stringify(whileAway.map((x) => x.kind))}`);

  // MongoDB is back, empty, where it was.
  standIn = await mongoStandInAt(port);
  const done = await waitForTask(url, later.id, 60_000);
  assert.equal(done.status, 'SUCCEEDED', done.error);
  assert.equal(done.priority, 'HIGH');
  const periodic = async () => (await tasksOf(id)).filter((x) => x.kind === 'SYNC_RESOURCES' && ![first.id, later.id].includes(x.id));
  for (let i = 0; (await periodic()).length < 2; i++) {
    assert.ok(i < 150, 'the periodic sync ticks again');
    await sleep(200);
  }
  const polls = async () => (await gql(url, COLLECTIONS, { storageId: id })).tasks.edges.filter((e: any) => e.node.kind === 'COLLECT_PERFORMANCE' && e.node.resourceType === 'STORAGE_POOL');
  for (let i = 0; (await polls()).length === 0; i++) {
    assert.ok(i < 150, 'the pool polling set while MongoDB was away runs');
    await sleep(200);
  }
  const runs = await withDb(t.databaseUrl, async (c) => (await c.query('select count(*)::int as n from task_run where task_id = $1', [later.id])).rows[0].n);
  assert.equal(runs, 1, 'the delayed sync ran once');
  await gql(url, SET_SCHEDULE, { id, schedule: { enabled: false } });
});
