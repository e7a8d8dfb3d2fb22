// Increments to the shared counters (system_counter) gathered in memory and written every
// FLUSH_MS in one statement, so a driver call or a trap costs no round trip of its own. What a
// process counted since its last flush is written when it stops; a crash loses at most FLUSH_MS.
import type { Sql } from './sql.js';
import { addToCounters } from './stores/system-counter-store.js';
import type { CounterIncrement } from '../lib/histogram.js';

const FLUSH_MS = 2000;
/** Increments held while the database is away; beyond it the oldest are let go (counts only). */
const MAX_HELD = 100_000;

export class CounterBuffer {
  private pending: CounterIncrement[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly sql: Sql) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  add(increments: readonly CounterIncrement[]): void {
    this.pending.push(...increments);
    if (this.pending.length > MAX_HELD) this.pending.splice(0, this.pending.length - MAX_HELD);
  }

  /** Writes what is pending (one flush at a time); kept for the next flush if the database is away. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const taken = this.pending;
      if (taken.length === 0) return;
      this.pending = [];
      await addToCounters(this.sql.q, taken).catch(() => this.add(taken));
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
