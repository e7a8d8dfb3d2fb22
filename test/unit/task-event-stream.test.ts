import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskEvent, TaskEventType } from '../../src/bus/task-events.js';
import type { TaskStatus } from '../../src/db/entities/enums.js';
import { TaskEventStream } from '../../src/api/subscriptions/task-event-stream.js';

const TASK = '01a21d4c-3c96-712f-b28e-31972dea6e3f';
const OTHER = '01a21d4c-3c96-712f-b28e-31972dea6e40';
const STORAGE = '01a21d4c-3459-72e0-9fe5-9e5fdb7d7d22';

const STATUS_OF: Record<TaskEventType, TaskStatus> = {
  SCHEDULED: 'SCHEDULED',
  QUEUED: 'QUEUED',
  STARTED: 'RUNNING',
  PROGRESS: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
};

function ev(type: TaskEventType, version: number, taskId = TASK, progress = 0): TaskEvent {
  const at = new Date(1_700_000_000_000 + version * 1000);
  return {
    type,
    at,
    task: {
      id: taskId,
      kind: 'SYNC_RESOURCES',
      status: STATUS_OF[type],
      priority: 'NORMAL',
      storageId: STORAGE,
      progress,
      phase: null,
      message: null,
      error: type === 'FAILED' ? 'boom' : null,
      attempts: 1,
      stats: null,
      version,
      createdAt: new Date(1_700_000_000_000),
      updatedAt: at,
    },
  };
}

/** A stream with a counter of onClose calls. */
function stream(endsWithTask = false, accept: (e: TaskEvent) => boolean = () => true) {
  const closes = { count: 0 };
  const s = new TaskEventStream(accept, endsWithTask, () => {
    closes.count += 1;
  });
  return { s, closes };
}

/** Reads what is available now (stops at the first pending next()). */
async function drainNow(s: TaskEventStream): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = [];
  for (;;) {
    const r = await Promise.race([s.next(), new Promise<'pending'>((res) => setImmediate(() => res('pending')))]);
    if (r === 'pending' || r.done) return out;
    out.push([r.value.type, r.value.task.version]);
  }
}

/** Whether a promise settles within a turn of the event loop. */
async function settled<T>(p: Promise<T>): Promise<boolean> {
  const marker = Symbol('pending');
  const r = await Promise.race([p.then(() => true, () => true), new Promise<symbol>((res) => setImmediate(() => res(marker)))]);
  return r !== marker;
}

describe('TaskEventStream', () => {
  test('events offered before begin() are held, then delivered after the initial state', async () => {
    const { s } = stream();
    s.offer(ev('PROGRESS', 3));
    s.offer(ev('PROGRESS', 4));
    const first = s.next();
    assert.equal(await settled(first), false, 'nothing is delivered before begin()');
    s.begin([ev('STARTED', 2)]);
    assert.deepEqual((await first).value?.type, 'STARTED');
    assert.deepEqual(await drainNow(s), [
      ['PROGRESS', 3],
      ['PROGRESS', 4],
    ]);
  });

  test('held events not newer than the initial state are dropped', async () => {
    const { s } = stream();
    s.offer(ev('QUEUED', 1));
    s.offer(ev('STARTED', 2));
    s.offer(ev('PROGRESS', 3));
    s.begin([ev('STARTED', 2)]); // the state read already includes versions 1 and 2
    assert.deepEqual(await drainNow(s), [
      ['STARTED', 2],
      ['PROGRESS', 3],
    ]);
  });

  test('events with a version <= the last seen for that task are dropped', async () => {
    const { s } = stream();
    s.begin([]);
    s.offer(ev('PROGRESS', 5));
    s.offer(ev('PROGRESS', 5)); // duplicate
    s.offer(ev('PROGRESS', 4)); // older, arrived late
    s.offer(ev('PROGRESS', 6));
    s.offer(ev('PROGRESS', 1));
    assert.deepEqual(await drainNow(s), [
      ['PROGRESS', 5],
      ['PROGRESS', 6],
    ]);
  });

  test('versions are tracked per task', async () => {
    const { s } = stream();
    s.begin([]);
    s.offer(ev('PROGRESS', 10, TASK));
    s.offer(ev('QUEUED', 1, OTHER)); // lower version, but another task
    s.offer(ev('PROGRESS', 9, TASK)); // stale for TASK
    s.offer(ev('STARTED', 2, OTHER));
    const got = [];
    for (let i = 0; i < 3; i++) {
      const r = await s.next();
      got.push([r.value!.task.id, r.value!.task.version]);
    }
    assert.deepEqual(got, [
      [TASK, 10],
      [OTHER, 1],
      [OTHER, 2],
    ]);
    assert.equal(await settled(s.next()), false);
  });

  test('a pending next() is resolved by the next offered event', async () => {
    const { s } = stream();
    s.begin([]);
    const p = s.next();
    assert.equal(await settled(p), false);
    s.offer(ev('QUEUED', 1));
    const r = await p;
    assert.equal(r.done, false);
    assert.equal(r.value?.type, 'QUEUED');
  });

  for (const terminal of ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const) {
    test(`a task-scoped stream completes after ${terminal} and calls onClose once`, async () => {
      const { s, closes } = stream(true);
      s.begin([ev('QUEUED', 1)]);
      s.offer(ev('STARTED', 2));
      s.offer(ev(terminal, 3));
      s.offer(ev('PROGRESS', 4)); // nothing after the end
      const got = [];
      for await (const e of s) got.push(e.type);
      assert.deepEqual(got, ['QUEUED', 'STARTED', terminal]);
      assert.equal(closes.count, 1);
      assert.deepEqual(await s.next(), { value: undefined, done: true });
      await s.return();
      assert.equal(closes.count, 1, 'return() after the end does not close again');
    });
  }

  test('a task-scoped stream whose initial state is terminal ends after it (late subscriber)', async () => {
    const { s, closes } = stream(true);
    s.offer(ev('PROGRESS', 3)); // held, older than the end state
    s.begin([ev('SUCCEEDED', 7)]);
    const got = [];
    for await (const e of s) got.push([e.type, e.task.version]);
    assert.deepEqual(got, [['SUCCEEDED', 7]]);
    assert.equal(closes.count, 1);
  });

  test('a task-scoped stream waiting in next() completes when the terminal event is consumed', async () => {
    const { s, closes } = stream(true);
    s.begin([]);
    const p1 = s.next();
    s.offer(ev('FAILED', 2));
    assert.equal((await p1).value?.type, 'FAILED');
    assert.deepEqual(await s.next(), { value: undefined, done: true });
    assert.equal(closes.count, 1);
  });

  test('a stream not scoped to a task goes on after a terminal event', async () => {
    const { s, closes } = stream(false);
    s.begin([]);
    s.offer(ev('SUCCEEDED', 3, TASK));
    s.offer(ev('QUEUED', 1, OTHER));
    assert.deepEqual(await drainNow(s), [
      ['SUCCEEDED', 3],
      ['QUEUED', 1],
    ]);
    assert.equal(closes.count, 0);
    assert.equal(await settled(s.next()), false, 'still open');
  });

  test('return() ends a pending next() at once and calls onClose', async () => {
    const { s, closes } = stream(false);
    s.begin([]);
    const pending = s.next();
    assert.equal(await settled(pending), false);
    assert.deepEqual(await s.return(), { value: undefined, done: true });
    assert.deepEqual(await pending, { value: undefined, done: true });
    assert.equal(closes.count, 1);
    // offers after return are ignored, next() stays done
    s.offer(ev('PROGRESS', 9));
    assert.deepEqual(await s.next(), { value: undefined, done: true });
    await s.return();
    assert.equal(closes.count, 1, 'onClose once');
  });

  test('return() drops queued events: the client went away', async () => {
    const { s } = stream();
    s.begin([ev('QUEUED', 1), ev('STARTED', 2)]);
    await s.return();
    assert.deepEqual(await s.next(), { value: undefined, done: true });
  });

  test('return() before begin() ends the stream; begin() after it delivers nothing', async () => {
    const { s, closes } = stream();
    s.offer(ev('QUEUED', 1));
    await s.return();
    s.begin([ev('STARTED', 2)]);
    assert.deepEqual(await s.next(), { value: undefined, done: true });
    assert.equal(closes.count, 1);
  });

  test('breaking out of for await calls onClose (return() through the iterator protocol)', async () => {
    const { s, closes } = stream();
    s.begin([ev('QUEUED', 1), ev('STARTED', 2)]);
    for await (const e of s) {
      assert.equal(e.type, 'QUEUED');
      break;
    }
    assert.equal(closes.count, 1);
  });

  test('fail() rejects a pending next() with the error and calls onClose', async () => {
    const { s, closes } = stream();
    s.begin([]);
    const p = s.next();
    s.fail(new Error('bus gone'));
    await assert.rejects(p, /bus gone/);
    assert.equal(closes.count, 1);
    await assert.rejects(s.next(), /bus gone/);
  });

  test('overflow beyond 10 000 buffered events fails the iterator, telling to subscribe again', async () => {
    const { s, closes } = stream();
    s.begin([]);
    const total = 10_050;
    for (let v = 1; v <= total; v++) s.offer(ev('PROGRESS', v));
    assert.equal(closes.count, 1, 'the subscription is closed on overflow');

    let delivered = 0;
    let failure: Error | undefined;
    try {
      for (;;) {
        const r = await s.next();
        if (r.done) break;
        delivered += 1;
        assert.equal(r.value.task.version, delivered, 'in order, nothing skipped before the failure');
      }
    } catch (err) {
      failure = err as Error;
    }
    assert.ok(failure, 'the iterator fails rather than ending quietly');
    assert.match(failure.message, /subscribe again/);
    assert.match(failure.message, /10000/);
    assert.equal(delivered, 10_000, 'the buffered events come before the failure');
    assert.equal(closes.count, 1);
  });

  test('exactly 10 000 buffered events do not overflow', async () => {
    const { s, closes } = stream();
    s.begin([]);
    for (let v = 1; v <= 10_000; v++) s.offer(ev('PROGRESS', v));
    assert.equal(closes.count, 0);
    const r = await s.next();
    assert.equal(r.value?.task.version, 1);
  });

  test('overflow while held (before begin) fails too', async () => {
    const { s, closes } = stream();
    for (let v = 1; v <= 10_001; v++) s.offer(ev('PROGRESS', v));
    assert.equal(closes.count, 0, 'held events are only counted when delivered');
    s.begin([]);
    assert.equal(closes.count, 1);
    let n = 0;
    await assert.rejects(async () => {
      for (;;) {
        const r = await s.next();
        if (r.done) return;
        n += 1;
      }
    }, /subscribe again/);
    assert.equal(n, 10_000);
  });

  test('events rejected by the accept filter never appear', async () => {
    const { s } = stream(false, (e) => e.task.id === TASK);
    s.offer(ev('QUEUED', 1, OTHER)); // held path
    s.begin([]);
    s.offer(ev('QUEUED', 1, TASK));
    s.offer(ev('STARTED', 2, OTHER));
    s.offer(ev('STARTED', 2, TASK));
    const got = [];
    for (let i = 0; i < 2; i++) {
      const r = await s.next();
      got.push([r.value!.task.id, r.value!.task.version]);
    }
    assert.deepEqual(got, [
      [TASK, 1],
      [TASK, 2],
    ]);
    assert.equal(await settled(s.next()), false);
  });

  test('a rejected terminal event does not end a task-scoped stream', async () => {
    const { s, closes } = stream(true, (e) => e.task.id === TASK);
    s.begin([]);
    s.offer(ev('SUCCEEDED', 5, OTHER));
    assert.equal(closes.count, 0);
    s.offer(ev('STARTED', 2, TASK));
    assert.equal((await s.next()).value?.type, 'STARTED');
  });

  test('is its own async iterator', () => {
    const { s } = stream();
    assert.equal(s[Symbol.asyncIterator](), s);
  });
});
