import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import { EventRelay } from '../../src/api/subscriptions/event-relay.js';
import type { TaskEventStream } from '../../src/api/subscriptions/task-event-stream.js';
import { busNames } from '../../src/bus/subjects.js';
import { encodeTaskEvent, type TaskEvent } from '../../src/bus/task-events.js';

const TASK = '01a21d4c-3c96-712f-b28e-31972dea6e3f';
const STORAGE = '01a21d4c-3459-72e0-9fe5-9e5fdb7d7d22';

function ev(version: number): TaskEvent {
  const at = new Date(1_700_000_000_000 + version);
  return {
    type: 'PROGRESS', at,
    task: { id: TASK, kind: 'SYNC_RESOURCES', status: 'RUNNING', priority: 'NORMAL', storageId: STORAGE, progress: 0, attempts: 1, version, createdAt: at, updatedAt: at },
  };
}

/** A NATS connection with one subscription whose messages, and status changes, the test delivers by hand. */
function fakeNats() {
  let deliver: ((e: TaskEvent) => void) | undefined;
  const statuses: Array<{ type: string }> = [];
  let wake: (() => void) | undefined;
  const nc = {
    subscribe(_subject: string, opts: { callback: (err: unknown, msg: { data: Uint8Array }) => void }) {
      deliver = (e) => opts.callback(null, { data: new TextEncoder().encode(encodeTaskEvent(e)) });
      return { unsubscribe() {} };
    },
    async *status() {
      for (;;) {
        while (statuses.length) yield statuses.shift()!;
        await new Promise<void>((r) => (wake = r));
      }
    },
  } as unknown as NatsConnection;
  const status = (type: string) => {
    statuses.push({ type });
    wake?.();
  };
  return { nc, publish: (e: TaskEvent) => deliver!(e), status };
}

describe('EventRelay fan-out', () => {
  test('every stream gets every event in order, and other work runs between chunks of streams', async () => {
    const { nc, publish } = fakeNats();
    const relay = new EventRelay(nc, busNames('t'));
    relay.start();
    const COUNT = 250;
    const offered: number[][] = [];
    for (let i = 0; i < COUNT; i++) {
      const stream = relay.subscribe({}, async () => []) as TaskEventStream;
      const seen: number[] = [];
      offered.push(seen);
      const offer = stream.offer.bind(stream);
      stream.offer = (e: TaskEvent) => (seen.push(e.task.version), offer(e));
    }
    await new Promise((r) => setImmediate(r)); // the streams have their (empty) initial state

    for (let v = 1; v <= 5; v++) publish(ev(v));
    // A macrotask queued now (an HTTP request, say) runs before the first event reached everyone.
    const reachedMeanwhile = await new Promise<number>((r) => setImmediate(() => r(offered.filter((s) => s.length > 0).length)));
    assert.ok(reachedMeanwhile > 0 && reachedMeanwhile < COUNT, `other work waited for the whole fan-out (${reachedMeanwhile} of ${COUNT})`);

    for (let i = 0; i < 20 && offered.some((s) => s.length < 5); i++) await new Promise((r) => setImmediate(r));
    for (const [i, seen] of offered.entries()) assert.deepEqual(seen, [1, 2, 3, 4, 5], `stream ${i}`);
    relay.stop();
  });

  test('a few streams get an event at once, with no turn of the event loop', () => {
    const { nc, publish } = fakeNats();
    const relay = new EventRelay(nc, busNames('t'));
    relay.start();
    const seen: number[] = [];
    const stream = relay.subscribe({}, async () => []) as TaskEventStream;
    const offer = stream.offer.bind(stream);
    stream.offer = (e: TaskEvent) => (seen.push(e.task.version), offer(e));
    publish(ev(1));
    publish(ev(2));
    assert.deepEqual(seen, [1, 2]);
    relay.stop();
  });
});

describe('EventRelay after a cut from NATS', () => {
  test('on reconnect, each subscriber gets the tasks of its filter that changed since the cut', async () => {
    const { nc, publish, status } = fakeNats();
    const relay = new EventRelay(nc, busNames('t'));
    relay.start();
    const asked: Date[] = [];
    const ended = { ...ev(9), type: 'SUCCEEDED' as const, task: { ...ev(9).task, status: 'SUCCEEDED' as const, progress: 1 } };
    const stream = relay.subscribe({ storageId: STORAGE }, async () => [], async (since) => (asked.push(since), [ev(2).task, ended.task]));
    await new Promise((r) => setImmediate(r));
    publish(ev(1));
    const cut = Date.now();
    status('disconnect');
    await new Promise((r) => setImmediate(r));
    status('reconnect');
    const got: TaskEvent[] = [];
    for (let i = 0; i < 3; i++) got.push((await stream.next()).value as TaskEvent);
    assert.deepEqual(got.map((e) => [e.type, e.task.version]), [['PROGRESS', 1], ['PROGRESS', 2], ['SUCCEEDED', 9]]);
    assert.equal(asked.length, 1);
    assert.ok(asked[0]!.getTime() <= cut, 'what changed from (a little before) the cut');
    relay.stop();
  });
});

describe('EventRelay recheck of unended tasks', () => {
  // The recheck's timer does not hold the process open: these tests do, while they wait.
  let keepAlive: NodeJS.Timeout;
  beforeEach(() => (keepAlive = setInterval(() => undefined, 1000)));
  afterEach(() => clearInterval(keepAlive));

  test('a task whose end event was lost reaches its subscriber from its row, and is asked no more once ended', async () => {
    const { nc, publish } = fakeNats();
    const asked: Array<Array<{ id: string; version: number }>> = [];
    const ended = { ...ev(3).task, status: 'SUCCEEDED' as const, progress: 1 };
    const relay = new EventRelay(nc, busNames('t'), {
      everySeconds: 0.02,
      rowsPastVersions: async (known, settledSeconds) => {
        asked.push(known);
        assert.equal(settledSeconds, 0.02);
        return known.some((k) => k.id === TASK && k.version < 3) ? [ended] : [];
      },
    });
    relay.start();
    const stream = relay.subscribe({ taskId: TASK }, async () => [ev(1).task]);
    publish(ev(2)); // held until the initial state is in, then passed on
    const got: TaskEvent[] = [];
    for (;;) {
      const r = await stream.next();
      if (r.done) break;
      got.push(r.value);
    }
    assert.deepEqual(got.map((e) => [e.type, e.task.version]), [['PROGRESS', 1], ['PROGRESS', 2], ['SUCCEEDED', 3]]);
    assert.ok(asked.some((k) => k.length === 1 && k[0]!.version === 2), `asked with the version the subscriber had: ${JSON.stringify(asked)}`);
    const rounds = asked.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(asked.length, rounds, 'no task left to recheck: no query');
    relay.stop();
  });

  test('the least advanced subscriber of a task sets the version asked; a failed query is tried again next round', async () => {
    const { nc } = fakeNats();
    const asked: Array<Array<{ id: string; version: number }>> = [];
    let fail = true;
    const relay = new EventRelay(nc, busNames('t'), {
      everySeconds: 0.02,
      rowsPastVersions: async (known) => {
        asked.push(known);
        if (fail) throw new Error('connection refused');
        return [{ ...ev(5).task, status: 'FAILED' as const }];
      },
    });
    relay.start();
    const behind = relay.subscribe({}, async () => [ev(2).task]);
    const ahead = relay.subscribe({ taskId: TASK }, async () => [ev(4).task]);
    await new Promise((r) => setTimeout(r, 60));
    assert.ok(asked.length >= 1 && asked.every((k) => k.length === 1 && k[0]!.version === 2), JSON.stringify(asked));
    fail = false;
    const last = async (s: AsyncIterator<TaskEvent>) => {
      let e: TaskEvent | undefined;
      for (let i = 0; i < 2; i++) e = (await s.next()).value as TaskEvent;
      return e!;
    };
    assert.deepEqual([(await last(behind)).task.version, (await last(ahead)).task.version], [5, 5]);
    relay.stop();
  });
});
