// The NATS exporter: every batch as JSON on `<ns>.metrics.<storageId>.<resourceType>`, for
// downstream consumers and for the api processes (Prometheus, subscriptions).
import type { NatsConnection } from '@nats-io/transport-node';
import type { MetricsExporter } from './exporter.js';
import { metricsSubject, retiredSubject, type MetricBatch, type MetricsRetired } from './metric-batch.js';

export class NatsExporter implements MetricsExporter {
  readonly name = 'nats';
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: string,
  ) {}

  export(batch: MetricBatch): void {
    this.nc.publish(metricsSubject(this.namespace, batch.storageId, batch.resourceType), this.encoder.encode(JSON.stringify(batch)));
  }

  retire(what: MetricsRetired): void {
    this.nc.publish(retiredSubject(this.namespace), JSON.stringify(what));
  }

  /** Waits until the server has everything published so far (a collection ends only then). */
  async flush(): Promise<void> {
    await this.nc.flush();
  }
}
