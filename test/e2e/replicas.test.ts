// Scale out (#8): 2 api, 3 worker and 2 scheduler processes on the same PostgreSQL and NATS
// behave as one system. A client on either api sees every event of every task, whichever worker
// runs it; no two runs of one storage overlap (task_run); every due scheduler job runs once
// (counted from both schedulers' logs, as the scheduler tests do).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe, type Subscription } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, TASK, TASK_EVENTS } from '../support/operations.js';
import { SYNC_ALL } from '../support/tasks.js';
import { waitForTask } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { withDb } from '../support/db.js';
import { recordedRuns, overlap } from '../support/task-runs.js';
import { eventsByTask, gapIn } from '../support/event-log.js';
import { jobRuns } from '../support/job-runs.js';
import { SET_SCHEDULE } from '../support/scheduler-suite.js';

const t = testEnv('replicas', {
  SCHEDULER_BACKEND: 'postgres',
  DELFIN_MIN_INTERVAL_SECONDS: '1',
  // One task at a time per worker, so a batch of syncs has to spread over the three.
  DELFIN_CONFIG: policyFile({ worker: { concurrency: 1 }, scheduler: { processEveryMs: 200, lockLifetimeSeconds: 5 } }),
});
const apis: DelfinProcess[] = [];
const workers: DelfinProcess[] = [];
const schedulers: DelfinProcess[] = [];
const storages: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  // The first api creates the database and migrates; the others start on it.
  apis.push(await startDelfin('api', t.env));
  const rest = await Promise.all([
    startDelfin('api', t.env),
    ...[0, 1, 2].map(() => startDelfin('worker', t.env)),
    ...[0, 1].map(() => startDelfin('scheduler', t.env)),
  ]);
  apis.push(rest[0]!);
  workers.push(...rest.slice(1, 4));
  schedulers.push(...rest.slice(4));
});

after(async () => {
  await Promise.all([...schedulers, ...workers, ...apis].map((p) => p.stop()));
  await t.cleanup();
});

test('a client on either api sees every event of every task, whichever of three workers runs it', async () => {
  for (let i = 0; i < 6; i++) {
    // Registered through both apis in turn; each sync takes about a second.
    const { registerStorage } = await gql(apis[i % 2]!.url, REGISTER, {
      input: fakeInput(`10.80.0.${i + 1}`, { pools: 2, volumes: 1000, pageSize: 100, latencyMs: 50 }, `replica-array-${i}`),
    });
    storages.push(registerStorage.id);
  }
  const { tasks: firstSyncs } = await gql(apis[0]!.url, `{ tasks(first: 100) { edges { node { id } } } }`);
  for (const e of firstSyncs.edges) assert.equal((await waitForTask(apis[1]!.url, e.node.id)).status, 'SUCCEEDED');

  // One subscriber per api, following every task.
  const watchers: Subscription<any>[] = apis.map((a) => subscribe(a.url, TASK_EVENTS));
  await sleep(500); // the subscriptions are open (they start with no open task, so nothing arrives to say so)
  try {
    const { syncAllStorages } = await gql(apis[0]!.url, SYNC_ALL);
    assert.equal(syncAllStorages.length, storages.length);
    // Requests through the other api meanwhile get the open syncs back (rule 2).
    const again = await Promise.all(storages.map(async (id) => (await gql(apis[1]!.url, SYNC, { id })).syncStorage));
    const returned = again.filter((x) => syncAllStorages.some((y: any) => y.id === x.id));
    assert.ok(returned.length >= storages.length - 3, `the open syncs are returned, not doubled (${returned.length} of ${storages.length})`);
    const ended = await Promise.all([...syncAllStorages, ...again.filter((x) => !returned.includes(x))].map((x: any) => waitForTask(apis[1]!.url, x.id)));
    for (const task of ended) assert.equal(task.status, 'SUCCEEDED', task.error);
    for (const task of ended) await Promise.all(watchers.map((w) => w.waitFor((p) => p.taskEvents.task.id === task.id && p.taskEvents.type === 'SUCCEEDED')));

    const { rows } = await withDb(t.databaseUrl, (c) => c.query(`select task_id, worker from task_run where task_id = any($1::uuid[])`, [ended.map((x) => x.id)]));
    const ranBy = new Map(rows.map((r: any) => [r.task_id, r.worker as string]));
    assert.ok(new Set(ranBy.values()).size >= 2, `the syncs spread over the workers: ${JSON.stringify([...ranBy.values()])}`);

    for (const [i, w] of watchers.entries()) {
      const seen = eventsByTask(w.received);
      for (const task of ended) {
        const events = seen.get(task.id) ?? [];
        assert.equal(events[0]?.type, 'QUEUED', `api ${i}: the first event of ${task.id} (run by ${ranBy.get(task.id)})`);
        assert.equal(events.at(-1)?.type, 'SUCCEEDED');
        const gap = gapIn(events, events[0]!.version, task.version);
        assert.equal(gap, undefined, `api ${i}, task ${task.id} run by ${ranBy.get(task.id)}: ${gap}`);
      }
    }
  } finally {
    await Promise.all(watchers.map((w) => w.close()));
  }
});

test('requests through both apis never run one storage twice at once', async () => {
  const taskIds = new Set<string>();
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const id = storages[Math.floor(Math.random() * storages.length)]!;
    const [a, b] = await Promise.all(apis.map((api) => gql(api.url, SYNC, { id })));
    if (a.syncStorage.id !== b.syncStorage.id) {
      // Only when one request got a sync that was ending, and the other came after its end.
      const [x, y] = await Promise.all([a, b].map(async (r) => (await gql(apis[0]!.url, TASK, { id: r.syncStorage.id })).task));
      const [older, newer] = Date.parse(x.createdAt) < Date.parse(y.createdAt) ? [x, y] : [y, x];
      assert.ok(older.finishedAt && Date.parse(older.finishedAt) <= Date.parse(newer.createdAt),
        `two requests at once, one per api, got two open syncs: ${JSON.stringify([older, newer])}`);
    }
    taskIds.add(a.syncStorage.id).add(b.syncStorage.id);
    await sleep(100);
  }
  for (const id of taskIds) assert.equal((await waitForTask(apis[0]!.url, id, 90_000)).status, 'SUCCEEDED');
  const runs = await recordedRuns(t.databaseUrl);
  assert.ok(runs.length >= taskIds.size);
  assert.equal(overlap(runs), undefined);
});

test('two schedulers: every due job runs once, periodic and one-time', async (ctx) => {
  const [a, b] = apis as [DelfinProcess, DelfinProcess];
  const start = Date.now() + 1500;
  // Three one-time syncs through one api, three 1 s schedules through the other.
  const scheduled = await Promise.all(
    storages.slice(0, 3).map(async (id, i) => (await gql(a.url, SYNC, { id, options: { runAt: new Date(start + i * 70).toISOString() } })).syncStorage.id as string),
  );
  const periodic = storages.slice(3);
  for (const id of periodic) {
    await gql(b.url, SET_SCHEDULE, { id, schedule: { enabled: true, intervalSeconds: 1 } });
    await sleep(70);
  }
  for (const id of scheduled) assert.equal((await waitForTask(b.url, id, 20_000)).status, 'SUCCEEDED');
  await sleep(3000);
  for (const id of periodic) await gql(a.url, SET_SCHEDULE, { id, schedule: { enabled: false } });

  const runs = jobRuns(schedulers.map((s) => s.output()));
  for (const taskId of scheduled) assert.equal(runs.filter((r) => r.taskId === taskId).length, 1, `run-task of ${taskId} ran once`);
  const ticks = runs.filter((r) => r.job === 'sync-storage' && periodic.includes(r.storageId));
  assert.ok(ticks.length >= periodic.length * 2, `the periodic syncs ran (${ticks.length})`);
  for (const jobId of new Set(ticks.map((r) => r.jobId))) {
    const times = ticks.filter((r) => r.jobId === jobId).map((r) => r.time).sort((x, y) => x - y);
    const gaps = times.slice(1).map((x, i) => x - times[i]!);
    assert.ok(gaps.every((g) => g >= 500), `job ${jobId} ran twice for one tick: gaps ${JSON.stringify(gaps)} ms`);
  }
  ctx.diagnostic(`job runs per scheduler: ${[0, 1].map((p) => runs.filter((r) => r.process === p).length).join(' and ')}`);

  // What the periodic ticks queued ran too, one at a time per storage, on any worker.
  const { tasks } = await gql(a.url, `{ tasks(status: [QUEUED, RUNNING], first: 100) { edges { node { id } } } }`);
  for (const e of tasks.edges) await waitForTask(a.url, e.node.id);
  assert.equal(overlap(await recordedRuns(t.databaseUrl)), undefined);
});
