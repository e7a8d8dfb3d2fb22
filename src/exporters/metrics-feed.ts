// What an api process reads from NATS for its exporters: every batch the workers publish and
// every retirement, handed to the local exporters (Prometheus). Every api replica reads them
// all, so whichever replica Prometheus scrapes has every series, however many workers there are.
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../logger.js';
import type { MetricsExporter } from './exporter.js';
import { allMetricsSubject, retiredSubject, type MetricBatch, type MetricsRetired } from './metric-batch.js';

const SWEEP_MS = 30_000;

export class MetricsFeed {
  private subs: Subscription[] = [];
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: string,
    private readonly exporters: readonly (MetricsExporter & { sweep?(): number })[],
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.subs = [
      this.nc.subscribe(allMetricsSubject(this.namespace), {
        callback: (err, msg) => {
          const batch = err ? undefined : this.decode<MetricBatch>(msg);
          if (batch) this.each((e) => e.export(batch));
        },
      }),
      this.nc.subscribe(retiredSubject(this.namespace), {
        callback: (err, msg) => {
          const retired = err ? undefined : this.decode<MetricsRetired>(msg);
          if (retired) this.each((e) => e.retire(retired));
        },
      }),
    ];
    this.sweeper = setInterval(() => this.exporters.forEach((e) => e.sweep?.()), SWEEP_MS);
    this.sweeper.unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  private decode<T>(msg: Msg): T | undefined {
    try {
      return msg.json<T>();
    } catch (err) {
      this.logger.warn({ subject: msg.subject, err: (err as Error).message }, 'a metrics message is not JSON; ignored');
      return undefined;
    }
  }

  private each(fn: (e: MetricsExporter) => unknown): void {
    for (const e of this.exporters) {
      try {
        const r = fn(e);
        if (r instanceof Promise) r.catch((err: Error) => this.logger.warn({ exporter: e.name, err: err.message }, 'an exporter refused a batch'));
      } catch (err) {
        this.logger.warn({ exporter: e.name, err: (err as Error).message }, 'an exporter refused a batch');
      }
    }
  }
}
