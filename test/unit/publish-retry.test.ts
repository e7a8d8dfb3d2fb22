// PublishRetry: a refused publish is tried again until its deadline; a bus that went on refusing
// for a whole deadline gets one try per publish until one is accepted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import { PublishRetry } from '../../src/bus/publish-retry.js';

/** A connection that is up (no status events: connection-state sees it connected). */
const up = { isClosed: () => false } as unknown as NatsConnection;

/** An attempt refused `refusals` times, then accepted; counts its calls. */
function flaky(refusals: number) {
  const calls = { n: 0 };
  const attempt = async () => {
    calls.n++;
    if (calls.n <= refusals) throw new Error(`refused ${calls.n}`);
    return 'stored';
  };
  return { calls, attempt };
}

describe('PublishRetry', () => {
  test('a publish refused a few times within the deadline is stored', async () => {
    const { calls, attempt } = flaky(3);
    assert.equal(await new PublishRetry(up, 5000).run(attempt), 'stored');
    assert.equal(calls.n, 4);
  });

  test('with a deadline of 0 a refusal is answered at once', async () => {
    const { calls, attempt } = flaky(1);
    await assert.rejects(new PublishRetry(up, 0).run(attempt), /refused 1/);
    assert.equal(calls.n, 1);
  });

  test('refused for the whole deadline: the last error; then one try per publish until one is accepted', async () => {
    const retry = new PublishRetry(up, 300);
    const always = flaky(Number.MAX_SAFE_INTEGER);
    await assert.rejects(retry.run(always.attempt), /refused/);
    assert.ok(always.calls.n > 1, 'it was tried again before giving up');
    const next = flaky(1);
    await assert.rejects(retry.run(next.attempt), /refused 1/);
    assert.equal(next.calls.n, 1, 'while the bus keeps refusing, one try');
    assert.equal(await retry.run(next.attempt), 'stored');
    const after = flaky(2);
    assert.equal(await retry.run(after.attempt), 'stored', 'once one is accepted, refusals are retried again');
    assert.equal(after.calls.n, 3);
  });

  test('each attempt is given a timeout that fits in the deadline', async () => {
    const timeouts: number[] = [];
    await new PublishRetry(up, 10_000).run(async (timeoutMs) => timeouts.push(timeoutMs));
    assert.deepEqual(timeouts, [2000]);
  });
});
