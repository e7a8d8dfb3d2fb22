// Hands batches to every enabled exporter, the seed's `perf_exporter.dispatch`. An exporter that
// fails does not keep the batch from the others.
import type { Logger } from '../logger.js';
import type { MetricsExporter } from './exporter.js';
import type { MetricBatch, MetricsRetired } from './metric-batch.js';

export class MetricsDispatcher {
  constructor(
    readonly exporters: readonly MetricsExporter[],
    private readonly logger: Logger,
  ) {}

  async dispatch(batches: readonly MetricBatch[]): Promise<void> {
    for (const exporter of this.exporters) {
      try {
        for (const batch of batches) await exporter.export(batch);
        await exporter.flush?.();
      } catch (err) {
        this.logger.warn({ exporter: exporter.name, err: (err as Error).message }, 'an exporter refused a batch of samples');
      }
    }
  }

  async retire(what: MetricsRetired): Promise<void> {
    for (const exporter of this.exporters) {
      await Promise.resolve(exporter.retire(what)).catch((err: Error) =>
        this.logger.warn({ exporter: exporter.name, err: err.message }, 'an exporter could not drop retired series'),
      );
    }
  }
}
