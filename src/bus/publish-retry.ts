// A JetStream publish that meets a failover is tried again for a short while before anyone is
// told UNAVAILABLE. On a cluster, losing the stream's leader (or the node a client is connected
// to) refuses publishes for a moment: no responders or "temporarily unavailable" during the
// election, timeouts while the client moves to another node, a replica catching up when a node
// rejoins. Repeating a publish is safe: the message id (the task id) makes the stream keep it once.
import type { NatsConnection } from '@nats-io/transport-node';
import { downForMs } from './connection-state.js';

export interface PublishRetry {
  /** How long refusals are retried, from the first attempt (0: never retried). */
  deadlineMs: number;
}

/** One attempt is cut off after at most this long, so a retry still fits in the deadline. */
const ATTEMPT_TIMEOUT_MS = 2000;
const FIRST_PAUSE_MS = 50;
const LONGEST_PAUSE_MS = 500;

/**
 * Runs `attempt(timeoutMs)` until it succeeds or `deadlineMs` has passed; then throws its last
 * error. While the connection is down it waits for the reconnect, unless the link has already
 * been down longer than the deadline (an outage, not a failover): then it fails at once.
 */
export async function publishWithRetry<T>(
  nc: NatsConnection,
  retry: PublishRetry,
  attempt: (timeoutMs: number) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + retry.deadlineMs;
  let pause = FIRST_PAUSE_MS;
  let lastError: Error = new Error('not connected to NATS');
  for (;;) {
    const down = downForMs(nc);
    if (down > retry.deadlineMs) throw new Error('not connected to NATS');
    if (down === 0) {
      try {
        return await attempt(Math.max(200, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now())));
      } catch (err) {
        lastError = err instanceof Error ? err : new Error(String(err));
      }
    }
    if (Date.now() + pause > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
  }
}
