// What every exporter does: take batches of samples, and forget the series of a storage that was
// deleted or of a resource type no longer collected. Workers hand batches to the NATS exporter;
// each api process feeds the batches it reads from NATS to its own exporters (Prometheus).
import type { MetricBatch, MetricsRetired } from './metric-batch.js';

export interface MetricsExporter {
  readonly name: string;
  export(batch: MetricBatch): void | Promise<void>;
  retire(what: MetricsRetired): void | Promise<void>;
  /** Waits until what was exported has left the process (where that means something). */
  flush?(): Promise<void>;
}
