// Waiting for JetStream at start-up: tries again until it answers within the wait, gives up with
// the last error past it, and refuses a server without JetStream after a short grace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { whenJetStreamAnswers } from '../../src/bus/await-jetstream.js';

/** A clock that sleeping moves forward, and an `open` that fails with the given errors first. */
function scripted(errors: Error[]) {
  let now = 0;
  const retries: number[] = [];
  let calls = 0;
  const open = async () => {
    calls++;
    const err = errors.shift();
    if (err) throw err;
    return 'queue';
  };
  const wait = (waitSeconds: number) => ({
    waitSeconds,
    onRetry: (_err: unknown, waited: number) => retries.push(waited),
    sleep: async (ms: number) => void (now += ms),
    now: () => now,
  });
  return { open, wait, retries, calls: () => calls, now: () => now };
}

const timeout = () => Object.assign(new Error('TIMEOUT'), { name: 'TimeoutError' });
const notEnabled = () => Object.assign(new Error('jetstream is not enabled'), { name: 'JetStreamNotEnabled' });

test('answers once JetStream does, after backing off between tries', async () => {
  const s = scripted([timeout(), timeout(), timeout(), timeout(), timeout()]);
  assert.equal(await whenJetStreamAnswers(s.open, s.wait(300)), 'queue');
  assert.equal(s.calls(), 6);
  assert.deepEqual(s.retries, [0, 500, 1500, 3500, 7500], 'pauses of 0.5, 1, 2, 4 s, then at most 5 s');
});

test('gives up with the last error once the wait is spent', async () => {
  const s = scripted(Array.from({ length: 100 }, timeout));
  await assert.rejects(whenJetStreamAnswers(s.open, s.wait(30)), /TIMEOUT/);
  assert.equal(s.now(), 30_000, 'the last pause ends at the wait, not past it');
});

test('no wait at all: the first error ends it', async () => {
  const s = scripted([timeout()]);
  await assert.rejects(whenJetStreamAnswers(s.open, s.wait(0)), /TIMEOUT/);
  assert.equal(s.calls(), 1);
});

test('JetStream not enabled is refused after 10 s, however long the wait', async () => {
  const s = scripted(Array.from({ length: 100 }, notEnabled));
  await assert.rejects(whenJetStreamAnswers(s.open, s.wait(300)), /not enabled/);
  assert.equal(s.now(), 10_000);
});

test('a node that answers "not enabled" for a moment while it starts is waited for', async () => {
  const s = scripted([notEnabled(), notEnabled(), timeout(), notEnabled()]);
  assert.equal(await whenJetStreamAnswers(s.open, s.wait(300)), 'queue');
});
