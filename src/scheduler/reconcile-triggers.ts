// When the scheduler brings its jobs in line with PostgreSQL: for the storages named in a
// "schedules changed" message (answered once applied, so the api can wait for it), for every
// storage at start and every minute (the safety net for a message lost), and again every few
// seconds after a failure (the job store away: its jobs are applied as soon as it is back, and
// an in-memory store that came back empty is filled again). One reconcile at a time per process.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { BusNames } from '../bus/subjects.js';
import type { Logger } from '../logger.js';
import type { Reconciler } from './reconciler.js';
import { parseSchedulesChanged } from './schedule-notice.js';
import type { StorageScope } from './wanted-jobs.js';

export const SWEEP_EVERY_MS = 60_000;
export const RETRY_AFTER_MS = 2_000;
/** Every scheduler is in this queue group: each message is applied by one of them. */
const QUEUE_GROUP = 'scheduler';
/** More storages than this in one message (a syncAllStorages at a time): one sweep instead of one query each. */
const SWEEP_ABOVE = 50;

export class ReconcileTriggers {
  private chain: Promise<unknown> = Promise.resolve();
  private sub?: Subscription;
  private sweepTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly reconciler: Reconciler,
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly logger: Logger,
  ) {}

  /** Listens, then sweeps once (what changed while no scheduler ran). */
  async start(): Promise<void> {
    this.sub = this.nc.subscribe(this.names.schedulesChanged, {
      queue: QUEUE_GROUP,
      callback: (err, msg) => {
        if (err) return;
        // With the job store away the answer would only come after a failure: say so at once;
        // the sweep retried until the store is back applies this change with the others.
        if (this.failing) {
          msg.respond();
          this.retrySoon();
          return;
        }
        const ids = parseSchedulesChanged(msg.data);
        void this.run(ids.length > SWEEP_ABOVE ? null : ids).finally(() => msg.respond());
      },
    });
    this.sweepTimer = setInterval(() => void this.run(null), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
    await this.run(null);
  }

  /** The job store failed under Agenda: sweep once it answers again. */
  storeFailed(): void {
    this.retrySoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    clearTimeout(this.retryTimer);
    this.sub?.unsubscribe();
    await this.chain.catch(() => undefined);
  }

  /** One reconcile, after the ones before it; a failure is logged and retried, never thrown. */
  private run(scope: StorageScope): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.stopped) return;
      try {
        await this.reconciler.reconcile(scope);
        if (this.failing) this.logger.info('the scheduler reached its job store again; its jobs are in line');
        this.failing = false;
      } catch (err) {
        if (!this.failing) this.logger.warn({ err: (err as Error).message }, 'jobs not brought in line with PostgreSQL; trying again shortly');
        this.failing = true;
        this.retrySoon();
      }
    });
    this.chain = next;
    return next;
  }

  private retrySoon(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.run(null);
    }, RETRY_AFTER_MS);
    this.retryTimer.unref();
  }
}
