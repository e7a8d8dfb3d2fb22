// The metricSamples subscription (the GraphQL exporter): the batches workers publish on NATS for
// one storage (and resource type), as the contract's MetricBatch with flat samples.
import type { NatsConnection } from '@nats-io/transport-node';
import type { ResourceType } from '../../drivers/driver.js';
import { metricsSubject, type MetricBatch as WireBatch } from '../../exporters/metric-batch.js';
import type { MetricBatch, MetricSample } from '../types/metrics.js';

export class MetricSampleStream {
  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: string,
  ) {}

  subscribe(storageId: string, resourceType?: ResourceType | null): AsyncIterable<MetricBatch> {
    const sub = this.nc.subscribe(metricsSubject(this.namespace, storageId, resourceType ?? '*'));
    const it = sub[Symbol.asyncIterator]();
    return {
      [Symbol.asyncIterator]: () => ({
        async next() {
          const r = await it.next();
          return r.done ? { value: undefined, done: true } : { value: toGraphql(r.value.json<WireBatch>()), done: false };
        },
        async return() {
          sub.unsubscribe();
          return { value: undefined, done: true };
        },
      }),
    };
  }
}

export function toGraphql(b: WireBatch): MetricBatch {
  const samples: MetricSample[] = [];
  for (const r of b.resources) {
    for (const [metric, values] of Object.entries(r.values)) {
      const unit = b.units[metric] ?? '';
      values.forEach((value, i) => samples.push({ resourceType: b.resourceType, resourceId: r.id, metric, unit, timestamp: new Date(r.timestamps[i]!), value }));
    }
  }
  return { storageId: b.storageId, resourceType: b.resourceType, samples };
}
