import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import { EventRelay } from '../../src/api/event-relay.js';
import type { TaskEventStream } from '../../src/api/task-event-stream.js';
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

/** A NATS connection with one subscription whose messages the test delivers by hand. */
function fakeNats() {
  let deliver: ((e: TaskEvent) => void) | undefined;
  const nc = {
    subscribe(_subject: string, opts: { callback: (err: unknown, msg: { data: Uint8Array }) => void }) {
      deliver = (e) => opts.callback(null, { data: new TextEncoder().encode(encodeTaskEvent(e)) });
      return { unsubscribe() {} };
    },
  } as unknown as NatsConnection;
  return { nc, publish: (e: TaskEvent) => deliver!(e) };
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
