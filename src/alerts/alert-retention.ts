// Keeping alerts: cleared ones for the policy's retention, and at most maxPerStorage per storage
// (a trap storm cannot fill the disk). What the cap deletes is counted
// (delfin_alerts_pruned_total{reason}) and logged as a warning naming the storage. Every
// receiver runs it; the deletes are idempotent, so several at once do no harm.
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { AlertStore } from './alert-store.js';

const PRUNE_EVERY_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  clearedRetentionDays: number;
  maxPerStorage: number;
}

export class AlertRetention {
  private readonly pruned: Counter<'reason'>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: AlertStore,
    private readonly policy: RetentionPolicy,
    registry: Registry,
    private readonly logger: Logger,
  ) {
    this.pruned = new Counter({ name: 'delfin_alerts_pruned_total', help: 'Alerts deleted by retention (cleared, too old) or by the per-storage cap', labelNames: ['reason'], registers: [registry] });
  }

  start(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
    void this.prune();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async prune(now = new Date()): Promise<void> {
    try {
      const old = await this.store.pruneCleared(new Date(now.getTime() - this.policy.clearedRetentionDays * DAY_MS));
      this.pruned.inc({ reason: 'retention' }, old);
      for (const [storageId, n] of await this.store.pruneOverCap(this.policy.maxPerStorage)) {
        this.pruned.inc({ reason: 'cap' }, n);
        this.logger.warn({ storageId, deleted: n, maxPerStorage: this.policy.maxPerStorage }, 'a storage has more alerts than alerts.maxPerStorage: deleted the oldest (cleared first)');
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not prune alerts; trying again later');
    }
  }
}
