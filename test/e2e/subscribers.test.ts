// Scale out (#8): a thousand graphql-ws clients on one api each receive every event of a running
// sync, in order; idle subscribers cost the api little memory; a client too slow to read is told
// it fell behind (an error on its subscription) instead of silently losing events.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '@nats-io/transport-node';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe, type Subscription } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, TASK, TASK_EVENTS, TASKS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { eventsByTask, gapIn } from '../support/event-log.js';
import { rssBytes } from '../support/process-rss.js';
import { busNames } from '../../src/bus/subjects.js';
import { encodeTaskEvent, type TaskEvent } from '../../src/bus/task-events.js';

const SUBSCRIBERS = Number(process.env.TEST_SUBSCRIBERS ?? 1000);
const t = testEnv('subscribers', { SCHEDULER_BACKEND: 'postgres' });
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

test(`${SUBSCRIBERS} subscribers each receive every event of a sync, in order`, async (ctx) => {
  worker = await startDelfin('worker', t.env);
  const { registerStorage: s } = await gql(api.url, REGISTER, {
    input: fakeInput('10.81.0.1', { pools: 2, volumes: 2000, pageSize: 100, latencyMs: 10 }, 'watched-array'),
  });
  const first = (await gql(api.url, TASKS, { storageId: s.id })).tasks.edges[0].node;
  assert.equal((await waitForTask(api.url, first.id)).status, 'SUCCEEDED');
  // No worker while the subscribers connect: the sync waits QUEUED, and each subscription's first
  // event (the task's current state) says it is open.
  await worker.stop();
  worker = undefined;
  const { syncStorage: task } = await gql(api.url, SYNC, { id: s.id });

  const rssBefore = rssBytes(api.proc.pid!);
  const subs: Subscription<any>[] = [];
  for (let i = 0; i < SUBSCRIBERS; i += 100) {
    const batch = Array.from({ length: Math.min(100, SUBSCRIBERS - i) }, () => subscribe(api.url, TASK_EVENTS, { taskId: task.id }));
    await Promise.all(batch.map((x) => x.waitFor((p) => p.taskEvents.type === 'QUEUED', 60_000)));
    subs.push(...batch);
  }
  const perSubscriber = (rssBytes(api.proc.pid!) - rssBefore) / SUBSCRIBERS;
  ctx.diagnostic(`api RSS per idle subscriber: ${(perSubscriber / 1024).toFixed(1)} KiB`);
  assert.ok(perSubscriber < 256 * 1024, `an idle subscriber costs the api ${(perSubscriber / 1024).toFixed(0)} KiB`);

  try {
    const started = Date.now();
    worker = await startDelfin('worker', t.env);
    await Promise.all(subs.map((x) => x.completed));
    ctx.diagnostic(`sync delivered to ${SUBSCRIBERS} subscribers in ${Date.now() - started} ms (worker start included)`);
    const { task: done } = await gql(api.url, TASK, { id: task.id });
    assert.equal(done.status, 'SUCCEEDED', done.error);

    const reference = eventsByTask(subs[0]!.received).get(task.id)!;
    assert.equal(reference[0]!.type, 'QUEUED');
    assert.equal(reference.at(-1)!.type, 'SUCCEEDED');
    assert.ok(reference.length >= 20 + 3, `a page of volumes is an event (${reference.length} events)`);
    assert.equal(gapIn(reference, reference[0]!.version, done.version), undefined, 'every version from QUEUED to the end');
    for (const [i, sub] of subs.entries()) {
      const seen = eventsByTask(sub.received).get(task.id) ?? [];
      assert.deepEqual(seen, reference, `subscriber ${i} got another sequence`);
    }
  } finally {
    await Promise.all(subs.map((x) => x.close()));
  }
});

test('a subscriber of a storage sees each requested sync from its QUEUED, however fast a worker starts it', async () => {
  worker ??= await startDelfin('worker', t.env);
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.81.0.2', { pools: 1, volumes: 50 }, 'quick-array') });
  const first = (await gql(api.url, TASKS, { storageId: s.id })).tasks.edges[0].node;
  await waitForTask(api.url, first.id);
  const sub = subscribe<any>(api.url, TASK_EVENTS, { storageId: s.id });
  await new Promise((r) => setTimeout(r, 500));
  try {
    for (let i = 0; i < 10; i++) {
      // An idle worker is woken by the publish and starts the task within milliseconds.
      await new Promise((r) => setTimeout(r, 300));
      const { syncStorage: task } = await gql(api.url, SYNC, { id: s.id });
      await sub.waitFor((p) => p.taskEvents.task.id === task.id && p.taskEvents.type === 'SUCCEEDED');
      const { task: done } = await gql(api.url, TASK, { id: task.id });
      const events = eventsByTask(sub.received).get(task.id)!;
      assert.equal(events[0]!.type, 'QUEUED', `sync ${i}: ${JSON.stringify(events.map((e) => e.type))}`);
      assert.equal(gapIn(events, events[0]!.version, done.version), undefined);
    }
  } finally {
    await sub.close();
  }
});

/**
 * A graphql-ws client at the protocol level whose socket can stop being read, as a client on a
 * slow link or a stalled process would.
 */
async function rawSubscriber(url: string, query: string, variables: Record<string, unknown>) {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: any[] = [];
  let acked!: () => void;
  const ack = new Promise<void>((r) => (acked = r));
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.type === 'connection_ack') acked();
    else messages.push(m);
  });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await ack;
  ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
  return {
    messages,
    pause: () => (ws as unknown as { _socket: { pause(): void } })._socket.pause(),
    resume: () => (ws as unknown as { _socket: { resume(): void } })._socket.resume(),
    close: () => ws.terminate(),
  };
}

test('a client that stops reading is told it fell behind; a client that reads gets every event', async () => {
  // Events of a task that waits QUEUED (no worker): the test publishes them itself, faster than
  // a sync would, each with a 4 KB message so the sockets' kernel buffers fill after a few
  // thousand. (A subscription to a task that does not exist is refused: NOT_FOUND.)
  await worker?.stop();
  worker = undefined;
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.81.0.3', { pools: 1, volumes: 1 }, 'bus-only-array') });
  const queued = (await gql(api.url, TASKS, { storageId: s.id })).tasks.edges[0].node;
  assert.equal(queued.version, 1, 'the first event (the current state) is version 1, like the published ones');
  const taskId: string = queued.id;
  const storageId: string = s.id;
  const query = `subscription($taskId: ID) { taskEvents(taskId: $taskId) { type task { version message } } }`;
  const slow = await rawSubscriber(api.url, query, { taskId });
  const fast = subscribe<any>(api.url, query, { taskId });
  await new Promise((r) => setTimeout(r, 500)); // both subscriptions are registered
  slow.pause();

  const TOTAL = 15_000;
  const padding = 'x'.repeat(4000);
  const nc = await connect({ servers: t.env.NATS_URL! });
  const subject = busNames(t.namespace).taskEvent(storageId, taskId);
  try {
    for (let v = 1; v <= TOTAL; v++) {
      const now = new Date();
      const event: TaskEvent = {
        type: 'PROGRESS',
        at: now,
        task: { id: taskId, kind: 'SYNC_RESOURCES', status: 'RUNNING', priority: 'NORMAL', storageId, progress: v / TOTAL,
          message: padding, attempts: 1, version: v, createdAt: now, updatedAt: now },
      };
      nc.publish(subject, encodeTaskEvent(event));
      // About 2 500 events a second: a pace the api keeps up with for a client that reads.
      if (v % 250 === 0) await new Promise((r) => setTimeout(r, 100));
    }
    await nc.flush();
  } finally {
    await nc.close();
  }
  await fast.waitFor((p) => p.taskEvents.task.version === TOTAL, 60_000);
  assert.deepEqual(fast.received.map((p) => p.taskEvents.task.version), Array.from({ length: TOTAL }, (_, i) => i + 1), 'the reading client got every event in order');

  slow.resume();
  const deadline = Date.now() + 30_000;
  while (!slow.messages.some((m) => m.type !== 'next') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const next = slow.messages.filter((m) => m.type === 'next');
  const end = slow.messages.find((m) => m.type !== 'next');
  slow.close();
  await fast.close();
  assert.equal(end?.type, 'error', `the slow client is told on its subscription: ${JSON.stringify(end)?.slice(0, 300)}`);
  assert.match(end.payload[0].message, /fell more than 10000 events behind; subscribe again/);
  assert.equal(end.payload[0].extensions?.code, 'FELL_BEHIND');
  const versions = next.map((m) => m.payload.data.taskEvents.task.version);
  assert.ok(versions.length >= 10_000 && versions.length < TOTAL, `it got what was buffered (${versions.length}), not everything`);
  assert.deepEqual(versions, Array.from({ length: versions.length }, (_, i) => i + 1), 'what it got came in order, with no gap before the error');
});
