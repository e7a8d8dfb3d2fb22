// A worker stopped with SIGTERM stops pulling, lets running tasks finish within
// worker.shutdownGraceSeconds, hands back what is still running, and exits 0. A handed-back
// sync is resumed by another worker and ends with exact stats: each step committed its counts.
// The hand-back is an event too: a subscriber of the task sees every version, none skipped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe } from '../support/graphql.js';
import { fakeInput, REGISTER, STORAGE, TASK, TASK_EVENTS } from '../support/operations.js';
import { eventsByTask, gapIn } from '../support/event-log.js';
import { waitForTask } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { firstTaskOf, pollTask, waitForProgressAbove } from '../support/tasks.js';

// A short grace: a long sync cannot finish in it and is handed back.
// Jobs in PostgreSQL: with no MongoDB running, registration would wait 5 s for the job store
// (to schedule the array's performance polling) and the sync it queued would end unseen.
const t = testEnv('graceful', { SCHEDULER_BACKEND: 'postgres', DELFIN_CONFIG: policyFile({ worker: { shutdownGraceSeconds: 1 } }) });
let api: DelfinProcess;
const workers: DelfinProcess[] = [];

before(async () => {
  api = await startDelfin('api', t.env);
});

after(async () => {
  for (const w of workers) await w.stop();
  await api.stop();
  await t.cleanup();
});

async function startWorker(env: NodeJS.ProcessEnv = t.env): Promise<DelfinProcess> {
  const w = await startDelfin('worker', env);
  workers.push(w);
  return w;
}

/** SIGTERM, then the exit code and how long the exit took. */
async function sigterm(w: DelfinProcess): Promise<{ code: number | null; ms: number }> {
  const from = Date.now();
  const code = await w.stop('SIGTERM');
  return { code, ms: Date.now() - from };
}

test('SIGTERM past the grace period hands the running sync back; another worker finishes it with exact stats', async () => {
  const url = api.url;
  const first = await startWorker();
  // 40 pages of 500 volumes, 100 ms each: far longer than the one-second grace.
  const { registerStorage: s } = await gql(url, REGISTER, {
    input: fakeInput('10.14.0.1', { pools: 4, volumes: 20_000, pageSize: 500, latencyMs: 100, seed: 14 }, 'big-array'),
  });
  const sync = await firstTaskOf(url, s.id);
  const events = subscribe(url, TASK_EVENTS, { taskId: sync.id });
  await waitForProgressAbove(url, sync.id, 0.2);

  const stopped = await sigterm(first);
  assert.equal(stopped.code, 0, `the worker exits 0 on SIGTERM; output:\n${first.output()}`);
  assert.ok(stopped.ms < 10_000, `the worker exits within the grace and a step (${stopped.ms} ms)`);

  const { task: handed } = await gql(url, TASK, { id: sync.id });
  assert.ok(['RUNNING', 'QUEUED'].includes(handed.status), `the task is not ended: ${JSON.stringify(handed)}`);
  assert.equal(handed.finishedAt, null);
  assert.match(handed.message ?? '', /handed back/, 'the task says it was handed back');
  const { storage: partial } = await gql(url, STORAGE, { id: s.id, first: 1 });
  assert.ok(
    partial.volumes.totalCount > 0 && partial.volumes.totalCount < 20_000,
    `part of the volumes were written before the stop (${partial.volumes.totalCount})`,
  );
  const partialAdded = handed.stats?.volumesAdded ?? 0;
  assert.equal(partialAdded, partial.volumes.totalCount, 'the stats of the first run count what it committed');

  const second = await startWorker();
  const done = await waitForTask(url, sync.id, 60_000);
  assert.equal(done.status, 'SUCCEEDED', done.error);
  assert.deepEqual(
    done.stats,
    { poolsAdded: 4, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 20_000, volumesUpdated: 0, volumesDeleted: 0 },
    'the counts of both runs add up exactly',
  );
  assert.equal(done.attempts, 1, 'a hand-back is not an attempt of its own');
  const { storage } = await gql(url, STORAGE, { id: s.id, first: 1 });
  assert.equal(storage.volumes.totalCount, 20_000);
  assert.equal(storage.pools.totalCount, 4);
  assert.equal(storage.syncState, 'SYNCED');

  await events.completed;
  const seen = eventsByTask(events.received as never).get(sync.id)!;
  assert.equal(gapIn(seen, seen[0]!.version, done.version), undefined, 'every version of the task reached its subscriber, the hand-back included');

  const idle = await sigterm(second);
  assert.equal(idle.code, 0, `an idle worker exits 0 on SIGTERM; output:\n${second.output()}`);
});

test('SIGTERM with the default grace: the running short sync ends SUCCEEDED before the worker exits 0', async () => {
  const url = api.url;
  // The default policy (grace of 20 s): no policy file for this worker.
  const { DELFIN_CONFIG: _policy, ...defaults } = t.env;
  const worker = await startWorker(defaults);
  // 3 pages of 100 volumes, 250 ms per call: about a second and a half of work.
  const { registerStorage: s } = await gql(url, REGISTER, {
    input: fakeInput('10.14.0.2', { pools: 2, volumes: 300, pageSize: 100, latencyMs: 250, seed: 15 }, 'small-array'),
  });
  const sync = await firstTaskOf(url, s.id);
  await pollTask(url, sync.id, (x) => x.status === 'RUNNING', 'RUNNING');

  const stopped = await sigterm(worker);
  const exitedAt = Date.now();
  assert.equal(stopped.code, 0, `the worker exits 0 on SIGTERM; output:\n${worker.output()}`);

  const { task } = await gql(url, TASK, { id: sync.id });
  assert.equal(task.status, 'SUCCEEDED', `the running task finished before the worker exited: ${JSON.stringify(task)}`);
  assert.ok(new Date(task.finishedAt).getTime() <= exitedAt);
  assert.deepEqual(task.stats, { poolsAdded: 2, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 300, volumesUpdated: 0, volumesDeleted: 0 });
  assert.equal(task.attempts, 1);
  const { storage } = await gql(url, STORAGE, { id: s.id, first: 1 });
  assert.equal(storage.volumes.totalCount, 300);
  assert.equal(storage.syncState, 'SYNCED');
});
