// Each role runs alone against the same services: an api process queues, a separate worker
// process runs, and the api relays the worker's events to a subscriber.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe } from '../support/graphql.js';
import { fakeInput, REGISTER, TASK_EVENTS, TASKS } from '../support/operations.js';

const t = testEnv('roles');
let api: DelfinProcess;
let worker: DelfinProcess | undefined;

before(async () => {
  api = await startDelfin('api', t.env);
});

after(async () => {
  await worker?.stop();
  await api.stop();
  await t.cleanup();
});

test('a task queued by the api waits for a worker, which runs it when it starts', async () => {
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.4.0.1', { pools: 2, volumes: 50 }) });
  const { tasks } = await gql(api.url, TASKS, { storageId: s.id });
  const taskId = tasks.edges[0].node.id;
  const events = subscribe(api.url, TASK_EVENTS, { taskId });
  await events.waitFor((e: any) => e.taskEvents.type === 'QUEUED');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(events.received.length, 1, 'nothing runs without a worker');

  worker = await startDelfin('worker', t.env);
  await events.completed;
  const types = events.received.map((e: any) => e.taskEvents.type);
  assert.equal(types[0], 'QUEUED');
  assert.equal(types[1], 'STARTED');
  assert.equal(types.at(-1), 'SUCCEEDED');
  assert.equal(await worker.stop(), 0, 'the worker exits 0 on SIGTERM');
  worker = undefined;
  assert.equal(await api.stop(), 0, 'the api exits 0 on SIGTERM');
});
