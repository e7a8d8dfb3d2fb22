// The soak's own logic (issue #19), which must be right for its zero to mean anything: a seed
// plans the same faults; the subscriber check catches events out of order and an end never
// told, and lets a gap (a kill or a NATS cut) or a FELL_BEHIND pass; options are validated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../support/prng.js';
import { planFaults } from '../../soak/faults.js';
import { checkSubscribers, type Seen, type Subscriber } from '../../soak/subscribers.js';
import { parseOptions, UsageError } from '../../soak/options.js';

test('a seed plans the same faults; another seed another plan', () => {
  const plan = (seed: number) => planFaults(prng(seed), 600, 25, 150, 8);
  assert.deepEqual(plan(7), plan(7));
  assert.notDeepEqual(plan(7), plan(8));
  const kinds = new Set(plan(7).map((f) => f.kind));
  assert.deepEqual([...kinds].sort(), ['driver-hang', 'driver-slow', 'kill', 'mongo', 'nats-disk-full', 'nats-node', 'pause', 'postgres']);
  const kills = plan(7).filter((f) => f.kind === 'kill');
  assert.ok(kills.length >= 15 && kills.length <= 40, `about 24 kills in 10 minutes at one per 25 s: ${kills.length}`);
  assert.ok(kills.every((f) => f.target >= 0 && f.target < 8));
  assert.equal(planFaults(prng(7), 600, 0, 0, 8).length, 0, '0 turns a kind off');
});

const seg = (end: string, events: Record<string, Array<[number, string]>>) => ({
  end,
  events: new Map(Object.entries(events).map(([id, xs]) => [id, xs.map(([version, status]) => ({ version, status }))])),
});
const finals = new Map<string, Seen>([['a', { version: 5, status: 'SUCCEEDED' }], ['b', { version: 3, status: 'FAILED' }]]);
const check = (subs: Subscriber[]) => checkSubscribers(subs, finals);

test('subscribers: complete and in order passes; a gap just after a fault is counted, one with no fault near is a violation', () => {
  const sub = (gapAt: number): Subscriber => ({
    taskId: 'a',
    segments: [{ end: 'complete', events: new Map([['a', [
      { version: 1, status: 'QUEUED', at: 1 }, { version: 2, status: 'RUNNING', at: 2 }, { version: 4, status: 'RUNNING', at: gapAt }, { version: 5, status: 'SUCCEEDED', at: gapAt + 1 },
    ]]]) }],
  });
  const afterFault = checkSubscribers([sub(50)], finals, [40]);
  assert.deepEqual(afterFault.violations, []);
  assert.equal(afterFault.gaps, 1);
  assert.equal(afterFault.eventsSeen, 4);
  const noFault = checkSubscribers([sub(100)], finals, [40]);
  assert.match(noFault.violations[0]!, /missed versions with no fault/);
  assert.deepEqual(check([{ taskId: 'a', segments: [seg('complete', { a: [[1, 'QUEUED'], [2, 'RUNNING'], [3, 'RUNNING'], [4, 'RUNNING'], [5, 'SUCCEEDED']] })] }]).violations, []);
});

test('subscribers: an older version after a newer one is a violation', () => {
  const r = check([{ taskId: 'a', segments: [seg('complete', { a: [[1, 'QUEUED'], [2, 'RUNNING'], [4, 'RUNNING'], [3, 'RUNNING'], [5, 'SUCCEEDED']] })] }]);
  assert.ok(r.violations.some((v) => /version 3 after 4/.test(v)), JSON.stringify(r.violations));
});

test('subscribers: a task that ended while its subscriber was still waiting is a violation; FELL_BEHIND is not', () => {
  const waiting = check([{ taskId: 'a', segments: [seg('open', { a: [[1, 'QUEUED'], [2, 'RUNNING']] })] }]);
  assert.match(waiting.violations[0]!, /never told/);
  const told = check([{ taskId: 'a', segments: [seg('FELL_BEHIND', { a: [[1, 'QUEUED']] })] }]);
  assert.deepEqual(told.violations, []);
  assert.equal(told.fellBehind, 1);
  const endedEarly = check([{ taskId: 'a', segments: [seg('complete', { a: [[1, 'QUEUED'], [2, 'RUNNING']] })] }]);
  assert.match(endedEarly.violations[0]!, /completed after/);
});

test('subscribers: a connection cut by a kill is followed by another; only the last must see the end', () => {
  const r = check([{ taskId: 'b', segments: [seg('closed', { b: [[1, 'QUEUED']] }), seg('complete', { b: [[3, 'FAILED']] })] }]);
  assert.deepEqual(r.violations, []);
  // Told UNAVAILABLE (PostgreSQL restarting) is "try again", like a cut; another error code is a violation.
  const unavailable = check([{ taskId: 'b', segments: [seg('UNAVAILABLE', {}), seg('complete', { b: [[3, 'FAILED']] })] }]);
  assert.deepEqual(unavailable.violations, []);
  const internal = check([{ taskId: 'b', segments: [seg('INTERNAL_SERVER_ERROR', {}), seg('complete', { b: [[3, 'FAILED']] })] }]);
  assert.match(internal.violations[0]!, /ended with error INTERNAL_SERVER_ERROR/);
  const all = check([{ segments: [seg('open', { a: [[4, 'RUNNING']], b: [[3, 'FAILED']] })] }]);
  assert.match(all.violations[0]!, /task a ended SUCCEEDED .* last saw RUNNING/);
});

test('options: defaults, flags, and a clear refusal', () => {
  assert.equal(parseOptions([]).minutes, 60);
  assert.deepEqual({ ...parseOptions(['--minutes', '5', '--seed', '42']) }.seed, 42);
  assert.throws(() => parseOptions(['--minuts', '5']), (e: Error) => e instanceof UsageError && /unknown option --minuts/.test(e.message));
  assert.throws(() => parseOptions(['--minutes', 'x']), /--minutes needs a number/);
  assert.throws(() => parseOptions(['--minutes', '0']), /more than 0/);
});
