// Traps that are not stored: counted by reason (delfin_traps_dropped_total{reason}) and logged at
// debug, at most once per reason every LOG_EVERY_MS, with the number since the last line, so a
// trap storm from a stranger cannot flood the log.
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';

const LOG_EVERY_MS = 10_000;

export type DropCause = string;

export class DropCounter {
  private readonly counter: Counter<'reason'>;
  private readonly lastLogged = new Map<DropCause, number>();
  private readonly unlogged = new Map<DropCause, number>();

  /** What `kernelDrops` said last: the counter grows by the difference at each scrape. */
  private kernelSeen = 0;

  /**
   * `kernelDrops`: datagrams the kernel dropped for a full receive buffer since the socket
   * opened (undefined: unknown); counted at each scrape as reason `receive_buffer_full`.
   */
  constructor(
    registry: Registry,
    private readonly logger: Logger,
    kernelDrops: () => number | undefined = () => undefined,
  ) {
    const self = this;
    this.counter = new Counter({
      name: 'delfin_traps_dropped_total',
      help: 'SNMP traps dropped by the alerts role, by reason (receive_buffer_full: lost in the kernel before the receiver read them)',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        const total = kernelDrops();
        if (total === undefined || total <= self.kernelSeen) return;
        this.inc({ reason: 'receive_buffer_full' }, total - self.kernelSeen);
        self.kernelSeen = total;
      },
    });
  }

  drop(reason: DropCause, senderAddress: string): void {
    this.counter.inc({ reason });
    const now = Date.now();
    const unlogged = (this.unlogged.get(reason) ?? 0) + 1;
    if (now - (this.lastLogged.get(reason) ?? 0) < LOG_EVERY_MS) {
      this.unlogged.set(reason, unlogged);
      return;
    }
    this.lastLogged.set(reason, now);
    this.unlogged.set(reason, 0);
    this.logger.debug({ reason, sender: senderAddress, dropped: unlogged }, 'dropped SNMP traps');
  }
}
