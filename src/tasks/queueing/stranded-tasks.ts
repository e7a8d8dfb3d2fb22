// The relay for stranded tasks. A task is committed QUEUED first and published second; a process
// killed between the two (an api, a scheduler) leaves a row that no message will ever deliver.
// Every worker process looks for such rows now and then; one at a time (an advisory lock), it
// publishes those unchanged for `strandedAfterSeconds` (by then any publish in flight has ended,
// so the relay never races a live one; if it does, the message id keeps the task once).
// It also asks the stream about tasks QUEUED that long whose publish was acknowledged: a message
// the bus lost after acknowledging it (a NATS node that went back to an older state) is
// published again, so the task is not QUEUED for ever either.
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import type { TaskQueue } from '../../bus/index.js';
import { publishedQueued, unpublishedQueued } from '../../db/stores/task-store.js';
import type { TaskEnqueuer } from './enqueue.js';

/** The advisory lock the workers' relays take turns on (any fixed 64-bit number). */
const RELAY_LOCK = 7_415_002_201;
/** Tasks published per round at most; the next round takes the rest. */
const BATCH = 1000;
/** Acknowledged tasks looked up on the stream per round at most (one request each), oldest first. */
const LOOKUPS = 100;

export class StrandedTaskRelay {
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;

  constructor(
    private readonly sql: Sql,
    private readonly enqueuer: TaskEnqueuer,
    private readonly queue: TaskQueue,
    private readonly strandedAfterSeconds: number,
    private readonly logger: Logger,
  ) {}

  /** Looks every quarter of the threshold (at least every 15 s), so a stranded task waits at most ~1.25 × it. */
  start(): void {
    const everyMs = Math.min(15_000, (this.strandedAfterSeconds * 1000) / 4);
    this.timer = setInterval(() => {
      this.round ??= this.relayOnce()
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn({ err: err.message }, 'stranded tasks: this round failed; the next one tries again'))
        .finally(() => (this.round = undefined));
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round: the stranded and lost tasks published; how many. Skipped while another process's round runs. */
  async relayOnce(): Promise<number> {
    const { stranded, acknowledged } = await this.sql.tx(async (q) => {
      const { rows } = await q.query('select pg_try_advisory_xact_lock($1) as mine', [RELAY_LOCK]);
      if (!rows[0]!.mine) return { stranded: [], acknowledged: [] };
      return { stranded: await unpublishedQueued(q, this.strandedAfterSeconds, BATCH), acknowledged: await publishedQueued(q, this.strandedAfterSeconds, LOOKUPS) };
    });
    let published = 0;
    if (stranded.length > 0) {
      published += await this.enqueuer.republish(stranded);
      this.logger.warn({ stranded: stranded.length, published }, 'published tasks whose maker died before publishing them');
    }
    const lostIds = new Set(await this.queue.lostFrom(acknowledged));
    if (lostIds.size > 0) {
      const again = await this.enqueuer.republish(acknowledged.filter((t) => lostIds.has(t.id)), { again: true });
      this.logger.warn({ lost: lostIds.size, published: again }, 'published again tasks the bus had acknowledged and then lost');
      published += again;
    }
    return published;
  }
}
