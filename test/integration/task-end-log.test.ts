// An operator tailing the logs sees every task end: one line at info (a failure at warn, with
// its reason) naming the task, its kind, its storage (id and name), the outcome, how long it
// took and, for a sync, its SyncStats. With LOG_FORMAT=pretty the lines are for people, not JSON,
// and the last ones still reach the output when the process stops on SIGTERM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { CANCEL_TASK, firstTaskOf, waitForProgressAbove } from '../support/tasks.js';

const t = testEnv('taskendlog');
let delfin: DelfinProcess;

before(async () => {
  delfin = await startDelfin('all', t.env, 30_000, { logLevel: 'info' });
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

/** The JSON log lines of a process that say a task ended. */
function taskEndLines(out: string, taskId: string): any[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(taskId))
    .map((l) => JSON.parse(l))
    .filter((l) => l.msg === 'task ended' && l.taskId === taskId);
}

/** Waits for the line of a task's end (the worker logs it as it commits the end). */
async function endLineOf(taskId: string): Promise<any> {
  const deadline = Date.now() + 10_000;
  while (taskEndLines(delfin.output(), taskId).length === 0) {
    if (Date.now() > deadline) throw new Error(`no "task ended" line for ${taskId}:\n${delfin.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200)); // a second line, if one were logged, would be here by now
  const lines = taskEndLines(delfin.output(), taskId);
  assert.equal(lines.length, 1, `one line per task end: ${JSON.stringify(lines)}`);
  return lines[0];
}

async function registered(host: string, attrs: Record<string, unknown>, name: string) {
  const { registerStorage: s } = await gql(delfin.url, REGISTER, { input: fakeInput(host, attrs, name) });
  return { storage: s, task: await firstTaskOf(delfin.url, s.id) };
}

test('a sync that succeeds: one info line with its storage, outcome, duration and SyncStats', async () => {
  const { storage, task } = await registered('10.13.0.1', { pools: 3, volumes: 250, pageSize: 100 }, 'array-logged');
  const ended = await waitForTask(delfin.url, task.id);
  assert.equal(ended.status, 'SUCCEEDED');

  const line = await endLineOf(task.id);
  assert.equal(line.level, 30, 'info');
  assert.equal(line.kind, 'SYNC_RESOURCES');
  assert.equal(line.storageId, storage.id);
  assert.equal(line.storageName, 'array-logged');
  assert.equal(line.outcome, 'SUCCEEDED');
  const took = Date.parse(ended.finishedAt) - Date.parse(ended.startedAt);
  assert.ok(Math.abs(line.durationMs - took) <= 1, `durationMs ${line.durationMs} is the task's ${took} ms`);
  // The line has every count the task keeps; the simulator here has no disks, controllers or ports.
  assert.deepEqual(line.stats, {
    ...ended.stats,
    disksAdded: 0, disksUpdated: 0, disksDeleted: 0, controllersAdded: 0, controllersUpdated: 0, controllersDeleted: 0,
    portsAdded: 0, portsUpdated: 0, portsDeleted: 0,
  });
  assert.deepEqual(ended.stats, { poolsAdded: 3, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 250, volumesUpdated: 0, volumesDeleted: 0 });
  assert.match(line.summary, /synced 3 pools .* 250 volumes/);
  assert.doesNotMatch(delfin.output(), /p4ssw0rd-secret/, 'the access info password is never logged');
});

test('a sync that fails: one warn line with the reason', async () => {
  const { storage, task } = await registered('10.13.0.2', { pools: 2, volumes: 300, pageSize: 100, failAt: 'volumes' }, 'array-failing');
  const ended = await waitForTask(delfin.url, task.id);
  assert.equal(ended.status, 'FAILED');

  const line = await endLineOf(task.id);
  assert.equal(line.level, 40, 'warn');
  assert.equal(line.kind, 'SYNC_RESOURCES');
  assert.equal(line.storageId, storage.id);
  assert.equal(line.storageName, 'array-failing');
  assert.equal(line.outcome, 'FAILED');
  assert.equal(line.reason, ended.error);
  assert.match(line.reason, /driver error while reading volumes/);
});

test('a sync cancelled while it runs: one info line saying what cancelled it', async () => {
  const slow = { pools: 2, volumes: 5000, pageSize: 100, latencyMs: 40 };
  const { task } = await registered('10.13.0.3', slow, 'array-cancelled');
  await waitForProgressAbove(delfin.url, task.id, 0.15);
  await gql(delfin.url, CANCEL_TASK, { id: task.id });
  assert.equal((await waitForTask(delfin.url, task.id)).status, 'CANCELLED');

  const line = await endLineOf(task.id);
  assert.equal(line.level, 30, 'info');
  assert.equal(line.outcome, 'CANCELLED');
  assert.equal(line.storageName, 'array-cancelled');
  assert.equal(line.reason, 'cancelled by request');
});

test('a sync cancelled before it ran (scheduled for later): one info line, logged where it was cancelled', async () => {
  const { storage, task: first } = await registered('10.13.0.5', { pools: 1, volumes: 10 }, 'array-later');
  await waitForTask(delfin.url, first.id);
  const runAt = new Date(Date.now() + 3600_000).toISOString();
  const { syncStorage: later } = await gql(delfin.url, SYNC, { id: storage.id, options: { runAt } });
  assert.equal(later.status, 'SCHEDULED');
  await gql(delfin.url, CANCEL_TASK, { id: later.id });

  const line = await endLineOf(later.id);
  assert.equal(line.level, 30, 'info');
  assert.equal(line.outcome, 'CANCELLED');
  assert.equal(line.storageId, storage.id);
  assert.equal(line.storageName, 'array-later');
  assert.equal(line.reason, 'cancelled by request');
  assert.equal(line.durationMs, 0, 'it never ran');
});

test('LOG_FORMAT=pretty: human-readable lines, the task end among them, flushed on SIGTERM', async (tc) => {
  const p = testEnv('taskendpretty', { LOG_FORMAT: 'pretty' });
  tc.after(() => p.cleanup());
  const pretty = await startDelfin('all', p.env, 30_000, { logLevel: 'info' });
  let code: number | null = null;
  let taskId = '';
  try {
    const { registerStorage: s } = await gql(pretty.url, REGISTER, { input: fakeInput('10.13.0.4', { pools: 1, volumes: 10 }, 'array-pretty') });
    taskId = (await firstTaskOf(pretty.url, s.id)).id;
    assert.equal((await waitForTask(pretty.url, taskId)).status, 'SUCCEEDED');
  } finally {
    code = await pretty.stop();
  }
  assert.equal(code, 0);
  const lines = pretty.output().split('\n').filter((l) => l.trim() !== '');
  const json = lines.filter((l) => {
    try {
      return typeof JSON.parse(l) === 'object';
    } catch {
      return false;
    }
  });
  assert.deepEqual(json, [], 'no JSON line');
  const ended = lines.filter((l) => l.includes('task ended') && l.includes(taskId));
  assert.equal(ended.length, 1, ended.join('\n'));
  assert.match(ended[0]!, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[api\+worker\+scheduler\+alerts\] task ended \{.*"storageName":"array-pretty".*"outcome":"SUCCEEDED"/);
  assert.match(lines.at(-1)!, /INFO: \[api\+worker\+scheduler\+alerts\] stopped$/, 'the last line is written before the process exits');
});
