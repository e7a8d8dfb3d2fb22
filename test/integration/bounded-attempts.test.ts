// Attempts are counted on the task and bounded: with worker.maxAttempts 1, a task whose worker
// died under it is not run again; it ends FAILED saying why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, TASKS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { waitForProgressAbove } from '../support/tasks.js';

// Jobs in PostgreSQL: with no MongoDB running, registration would wait 5 s for the job store
// (to schedule the array's performance polling) and the sync it queued would end unseen.
const t = testEnv('attempts', { SCHEDULER_BACKEND: 'postgres', DELFIN_CONFIG: policyFile({ worker: { ackWaitSeconds: 5, maxAttempts: 1 }, sync: { leaseSeconds: 5 } }) });
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

test('a task past its attempts ends FAILED with the reason, and the storage says FAILED', async () => {
  const first = await startDelfin('worker', t.env);
  workers.push(first);
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.14.0.1', { volumes: 5000, pageSize: 250, latencyMs: 50 }) });
  const { tasks } = await gql(api.url, TASKS, { storageId: s.id });
  const taskId = tasks.edges[0].node.id;
  await waitForProgressAbove(api.url, taskId, 0.3);
  first.proc.kill('SIGKILL');
  workers.push(await startDelfin('worker', t.env));
  const failed = await waitForTask(api.url, taskId, 60_000);
  assert.equal(failed.status, 'FAILED');
  assert.equal(failed.attempts, 2, 'the second delivery is counted, and refused');
  assert.match(failed.error, /gave up after 1 attempt: its runs ended without finishing/);
  const { storage } = await gql(api.url, `query($id: ID!) { storage(id: $id) { syncState } }`, { id: s.id });
  assert.equal(storage.syncState, 'FAILED');
});
