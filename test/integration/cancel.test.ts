// cancelTask: a QUEUED task ends CANCELLED at once and never runs (its message leaves the
// stream); a RUNNING sync stops at its next step and ends CANCELLED with every committed page
// whole; an ended or unknown task cannot be cancelled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { fakeInput, REGISTER, STORAGE, TASK } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { CANCEL_TASK, firstTaskOf, pollTask, waitForProgressAbove } from '../support/tasks.js';
import { busNames } from '../../src/bus/subjects.js';

// One task at a time: a second storage's sync stays QUEUED behind a slow first one.
const t = testEnv('cancel', { DELFIN_WORKER_CONCURRENCY: '1' });
let delfin: DelfinProcess;
let nc: NatsConnection;
let url: string;

before(async () => {
  delfin = await startDelfin('all', t.env);
  url = delfin.url;
  nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
});

after(async () => {
  await nc?.close();
  await delfin.stop();
  await t.cleanup();
});

const SLOW = { pools: 2, volumes: 10_000, pageSize: 500, latencyMs: 80 };

/** Whether the task stream still holds the message published for a task. */
async function inStream(taskId: string): Promise<boolean> {
  const seq = await withDb(t.databaseUrl, async (c) => (await c.query('select bus_sequence from task where id = $1', [taskId])).rows[0]?.bus_sequence);
  assert.ok(seq, `task ${taskId} was published (it has a stream sequence)`);
  const jsm = await jetstreamManager(nc);
  // A missing message resolves null (or rejects, depending on the client version).
  return jsm.streams.getMessage(busNames(t.namespace).taskStream, { seq: Number(seq) }).then(
    (m) => m !== null && m !== undefined,
    () => false,
  );
}

async function runsOf(taskId: string): Promise<number> {
  return withDb(t.databaseUrl, async (c) => (await c.query('select count(*)::int as n from task_run where task_id = $1', [taskId])).rows[0].n);
}

let endedTaskId: string;

test('a QUEUED task is CANCELLED at once and never runs', async () => {
  const { registerStorage: first } = await gql(url, REGISTER, { input: fakeInput('10.12.0.1', { ...SLOW, seed: 1 }, 'busy-array') });
  const firstSync = await firstTaskOf(url, first.id);
  await pollTask(url, firstSync.id, (x) => x.status === 'RUNNING', 'RUNNING');

  const { registerStorage: second } = await gql(url, REGISTER, { input: fakeInput('10.12.0.2', { pools: 2, volumes: 100, seed: 2 }, 'waiting-array') });
  const queued = await firstTaskOf(url, second.id);
  assert.equal(queued.status, 'QUEUED', 'the only worker slot is taken: the second sync waits');
  assert.equal(await inStream(queued.id), true, 'the queued sync waits in the stream');

  const { cancelTask: cancelled } = await gql(url, CANCEL_TASK, { id: queued.id });
  assert.equal(cancelled.id, queued.id);
  assert.equal(cancelled.status, 'CANCELLED', 'a queued task ends at once');
  assert.ok(cancelled.finishedAt);
  const { task: read } = await gql(url, TASK, { id: queued.id });
  assert.equal(read.status, 'CANCELLED');
  assert.equal(await inStream(queued.id), false, 'its message left the stream while the worker was busy');
  const { storage: secondStorage } = await gql(url, STORAGE, { id: second.id, first: 1 });
  assert.notEqual(secondStorage.syncState, 'SYNCING', 'the storage no longer shows a sync in progress');

  const done = await waitForTask(url, firstSync.id, 60_000);
  assert.equal(done.status, 'SUCCEEDED', done.error);
  endedTaskId = done.id;
  // A later sync of the same priority is pulled after where the cancelled one stood: once it
  // has run, the worker has been offered everything queued before it.
  const { registerStorage: third } = await gql(url, REGISTER, { input: fakeInput('10.12.0.3', { pools: 1, volumes: 10, seed: 3 }) });
  const later = await waitForTask(url, (await firstTaskOf(url, third.id)).id, 30_000);
  assert.equal(later.status, 'SUCCEEDED', later.error);

  const { task: afterAll } = await gql(url, TASK, { id: queued.id });
  assert.equal(afterAll.status, 'CANCELLED', 'still CANCELLED');
  assert.equal(afterAll.attempts, 0, 'never delivered to a worker');
  assert.equal(afterAll.startedAt, null);
  assert.equal(await runsOf(queued.id), 0, 'no run of it');
  assert.equal(await inStream(queued.id), false, 'the stream holds nothing for it');
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(busNames(t.namespace).taskStream);
  assert.equal(info.state.messages, 0, 'nothing is left in the work queue');
});

test('a RUNNING sync is CANCELLED at its next step; the committed pages stay whole', async () => {
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput('10.12.0.4', { ...SLOW, seed: 4 }, 'cancelled-array') });
  const sync = await firstTaskOf(url, s.id);
  // Past the first write: changes are written every quarter second (or per batch), not per page.
  await waitForProgressAbove(url, sync.id, 0.4);

  const asked = Date.now();
  const { cancelTask: answer } = await gql(url, CANCEL_TASK, { id: sync.id });
  assert.equal(answer.id, sync.id);
  assert.ok(['RUNNING', 'CANCELLED'].includes(answer.status), `a running task is asked to stop: ${answer.status}`);
  const ended = await waitForTask(url, sync.id, 10_000);
  const tookMs = Date.now() - asked;
  assert.equal(ended.status, 'CANCELLED', JSON.stringify(ended));
  assert.ok(tookMs < 5_000, `stopped shortly after the request (${tookMs} ms)`);
  assert.ok(ended.finishedAt);
  assert.equal(ended.attempts, 1);

  const { storage } = await gql(url, STORAGE, { id: s.id, first: 1 });
  const count = storage.volumes.totalCount;
  assert.ok(count > 0 && count < 10_000, `the sync stopped part-way (${count} volumes)`);
  assert.equal(count % 500, 0, `each page of 500 commits whole (${count} volumes)`);
  assert.equal(ended.stats.volumesAdded, count, 'the stats count exactly what was committed');
  assert.notEqual(storage.syncState, 'SYNCING', 'the storage no longer shows a sync in progress');
  assert.equal(storage.syncState, 'NEVER_SYNCED', 'a first sync that was cancelled leaves the storage never synced');
  assert.equal(storage.pools.totalCount, 2);

  // Nothing goes on writing after the end.
  await new Promise((r) => setTimeout(r, 500));
  const { storage: later } = await gql(url, STORAGE, { id: s.id, first: 1 });
  assert.equal(later.volumes.totalCount, count, 'no page was written after the task ended');
});

test('cancelling an ended task is a CONFLICT; an unknown task is NOT_FOUND', async () => {
  assert.ok(endedTaskId, 'the first test left an ended task');
  const ended = await gqlError(url, CANCEL_TASK, { id: endedTaskId });
  assert.equal(ended.code, 'CONFLICT');
  assert.match(ended.message, /already ended/);
  for (const id of ['01a21d34-0000-7000-8000-000000000000', 'no-such-id']) {
    const unknown = await gqlError(url, CANCEL_TASK, { id });
    assert.equal(unknown.code, 'NOT_FOUND', `${id}: ${unknown.message}`);
  }
  const { task } = await gql(url, TASK, { id: endedTaskId });
  assert.equal(task.status, 'SUCCEEDED', 'a refused cancel changes nothing');
});
