// One periodic tick makes at most one task. A tick is delivered at least once: a scheduler
// killed after queueing the tick's sync and before recording the run leaves the job due at the
// same time (and the schedule's mirror at that due time), so another scheduler runs the same
// tick again, maybe after the first sync ended. Driven here with the scheduler's own job handler
// (sync-storage) in two "scheduler instances" over one real api and worker: the repeated tick
// gets the task it made, and a tick while a sync is open still gets that open sync (rule 2).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'agenda';
import { testEnv } from '../support/env.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, TASKS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { SET_SCHEDULE } from '../support/scheduler-suite.js';
import { loadConfig } from '../../src/config.js';
import { startRoles, type RunningRoles } from '../../src/roles.js';
import { createLogger } from '../../src/logger.js';
import { Sql } from '../../src/db/sql.js';
import { busNames, connectNats, TaskEventPublisher, TaskQueue, type NatsConnection } from '../../src/bus/index.js';
import { TaskEnqueuer } from '../../src/tasks/queueing/enqueue.js';
import { requestSync } from '../../src/tasks/queueing/request-sync.js';
import { openAgenda, type OpenAgenda } from '../../src/scheduler/agenda.js';
import { SYNC_STORAGE_JOB, type SyncStorageData } from '../../src/scheduler/jobs.js';
import { syncStorageJob } from '../../src/scheduler/sync-storage-job.js';

const t = testEnv('tickonce');
let system: RunningRoles;
let sql: Sql;
let nc: NatsConnection;
let agenda: OpenAgenda;
let enqueuer: TaskEnqueuer;
let url: string;

before(async () => {
  // An api and a worker; the schedulers are the job handlers below (no scheduler role runs).
  system = await startRoles(['api', 'worker'], loadConfig({ ...t.env, SCHEDULER_BACKEND: 'postgres' }));
  url = system.api!.url;
  sql = new Sql(t.databaseUrl, 4);
  nc = await connectNats(t.env.NATS_URL!, 'tick-once-test');
  const names = busNames(t.namespace);
  enqueuer = new TaskEnqueuer(sql, await TaskQueue.open(nc, names, { ackWaitSeconds: 30 }), new TaskEventPublisher(nc, names));
  agenda = await openAgenda({ kind: 'postgres', url: t.databaseUrl, namespace: t.namespace }, { name: 'tick-once-test' });
});

after(async () => {
  await agenda?.close();
  await nc?.drain();
  await sql?.close();
  await system?.stop();
  await t.cleanup();
});

/** A scheduler instance's sync-storage handler. */
function schedulerInstance(name: string): (job: Job<SyncStorageData>) => Promise<void> {
  return syncStorageJob({ sql, enqueuer, logger: createLogger('warn', name) });
}

/** The storage's periodic job, as Agenda hands it to a scheduler when it comes due. */
function dueJob(storageId: string): Job<SyncStorageData> {
  return agenda.agenda.create<SyncStorageData>(SYNC_STORAGE_JOB, { storageId });
}

async function register(host: string): Promise<string> {
  const { registerStorage } = await gql(url, REGISTER, { input: fakeInput(host, { pools: 1, volumes: 3 }, `tick-${host}`) });
  const first = (await gql(url, TASKS, { storageId: registerStorage.id })).tasks.edges[0].node;
  await waitForTask(url, first.id, 30_000);
  await gql(url, SET_SCHEDULE, { id: registerStorage.id, schedule: { enabled: true, intervalSeconds: 3600 } });
  return registerStorage.id;
}

/** The schedule's mirror says the tick due at `due` is the one to run (as after the previous run). */
async function dueAt(storageId: string, due: Date): Promise<void> {
  await withDb(t.databaseUrl, (c) => c.query('update sync_schedule set next_run_at = $2 where storage_id = $1', [storageId, due]));
}

async function tickTasks(storageId: string, due: Date): Promise<Array<{ id: string; status: string }>> {
  return withDb(t.databaseUrl, async (c) =>
    (await c.query(`select id, status from task where storage_id = $1 and kind = 'SYNC_RESOURCES' and scheduled_for = $2 order by created_at`, [storageId, due])).rows,
  );
}

test('a tick run again after its sync ended (the first scheduler died before recording the run) makes no second task', async () => {
  const id = await register('10.79.0.1');
  const due = new Date(Date.now() - 1000);
  await dueAt(id, due);
  // Scheduler A runs the tick up to queueing its sync, and is killed before it records the run:
  // the job stays due at the same time and the mirror still says `due`.
  const { task: first, created } = await requestSync(sql, enqueuer, id, 'NORMAL', 'periodic sync', due);
  assert.ok(created);
  assert.equal((await waitForTask(url, first.id, 30_000)).status, 'SUCCEEDED');
  // Its lock expired: scheduler B runs the same tick (and a third instance at the same moment).
  await Promise.all([schedulerInstance('scheduler-b')(dueJob(id)), schedulerInstance('scheduler-c')(dueJob(id))]);
  assert.deepEqual((await tickTasks(id, due)).map((r) => r.id), [first.id], 'the tick due once made one task');
});

test('two schedulers running one tick at once make one task', async () => {
  const id = await register('10.79.0.2');
  const due = new Date(Date.now() - 1000);
  await dueAt(id, due);
  await Promise.all([schedulerInstance('scheduler-a')(dueJob(id)), schedulerInstance('scheduler-b')(dueJob(id))]);
  const made = await tickTasks(id, due);
  assert.equal(made.length, 1, 'one task for the tick');
  await waitForTask(url, made[0]!.id, 30_000);
  // And once more after it ended, with the mirror put back (the run recorded by neither).
  await dueAt(id, due);
  await schedulerInstance('scheduler-a')(dueJob(id));
  assert.equal((await tickTasks(id, due)).length, 1, 'still one task for the tick');
});

test('a tick while a sync of the storage is open gets that sync; the next tick makes its own', async () => {
  const id = await register('10.79.0.3');
  const due = new Date(Date.now() - 1000);
  await dueAt(id, due);
  const { syncStorage: open } = await gql(url, SYNC, { id });
  const { task, created } = await requestSync(sql, enqueuer, id, 'NORMAL', 'periodic sync', due);
  assert.equal(created, false);
  assert.equal(task.id, open.id, 'coalesced with the open sync (rule 2)');
  await waitForTask(url, open.id, 30_000);
  const next = new Date(due.getTime() + 500);
  const again = await requestSync(sql, enqueuer, id, 'NORMAL', 'periodic sync', next);
  assert.ok(again.created, 'the next tick, with no sync open, queues one');
  assert.equal(again.task.scheduledFor?.getTime(), next.getTime());
  await waitForTask(url, again.task.id, 30_000);
});
