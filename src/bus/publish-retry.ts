// A JetStream publish that meets a failover is tried again for a short while before anyone is
// told UNAVAILABLE. On a cluster, losing the stream's leader (or the node a client is connected
// to) refuses publishes for a moment: no responders or "temporarily unavailable" during the
// election, timeouts while the client moves to another node, a replica catching up when a node
// rejoins. Repeating a publish is safe: the message id (the task id) makes the stream keep it once.
import type { NatsConnection } from '@nats-io/transport-node';
import { downForMs } from './connection-state.js';

/** One attempt is cut off after at most this long, so a retry still fits in the deadline. */
const ATTEMPT_TIMEOUT_MS = 2000;
const SHORTEST_ATTEMPT_MS = 500;
const FIRST_PAUSE_MS = 50;
const LONGEST_PAUSE_MS = 500;

export class PublishRetry {
  /**
   * Set when a publish was refused for its whole deadline, cleared by the next one accepted:
   * while the bus keeps refusing (an outage, not a failover), publishes try once, so a sync of
   * ten thousand storages is not ten thousand waits.
   */
  private refusingSince: number | undefined;

  /** Whether the bus refused the last publish for its whole deadline (and none was accepted since). */
  get refusing(): boolean {
    return this.refusingSince !== undefined;
  }

  constructor(
    private readonly nc: NatsConnection,
    /** How long refusals are retried, from the first attempt (0: never retried). */
    readonly deadlineMs: number,
  ) {}

  /**
   * Runs `attempt(timeoutMs)` until it succeeds or the deadline has passed; then throws its last
   * error. While the connection is down it waits for the reconnect, unless the link has already
   * been down longer than the deadline: then it fails at once.
   */
  async run<T>(attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
    const once = this.refusingSince !== undefined;
    const deadline = Date.now() + (once ? 0 : this.deadlineMs);
    let pause = FIRST_PAUSE_MS;
    let lastError: Error = new Error('not connected to NATS');
    for (;;) {
      const down = downForMs(this.nc);
      if (down > this.deadlineMs) throw new Error('not connected to NATS');
      if (down === 0) {
        try {
          const result = await attempt(once ? ATTEMPT_TIMEOUT_MS : Math.max(SHORTEST_ATTEMPT_MS, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now())));
          this.refusingSince = undefined;
          return result;
        } catch (err) {
          lastError = err instanceof Error ? err : new Error(String(err));
        }
      }
      if (Date.now() + pause > deadline) {
        this.refusingSince ??= Date.now();
        throw lastError;
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
    }
  }
}
