// The Prometheus exporter: one gauge per metric with the labels storage_id, storage_name,
// serial_number, resource_type, resource_id and resource_name, holding each series' latest
// value. Series leave with their storage, with their resource type's collection, or when a
// resource has not been reported for three intervals (a deleted volume, a stopped collection).
import { Gauge, Registry } from 'prom-client';
import type { MetricsExporter } from './exporter.js';
import type { MetricBatch, MetricsRetired } from './metric-batch.js';
import { prometheusMetric, resourceTypeLabel } from './prometheus-names.js';

const LABELS = ['storage_id', 'storage_name', 'serial_number', 'resource_type', 'resource_id', 'resource_name'] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/** What the exporter remembers of a resource to remove its series later. */
interface Tracked {
  labels: Labels;
  /** The gauges with a series of this resource (an array: a Set per resource costs more). */
  gauges: Gauge[];
  storageId: string;
  resourceType: string;
  lastSeen: number;
  staleAfterMs: number;
  /** Time of the sample the gauges hold: a window recovered late never replaces a newer one. */
  sampledAt: number;
}

export class PrometheusExporter implements MetricsExporter {
  readonly name = 'prometheus';
  readonly registry = new Registry();
  private readonly gauges = new Map<string, Gauge>();
  private readonly resources = new Map<string, Tracked>();

  constructor(private readonly now: () => number = Date.now) {}

  export(batch: MetricBatch): void {
    const seen = this.now();
    const staleAfterMs = 3 * batch.intervalSeconds * 1000 + 60_000;
    for (const r of batch.resources) {
      const tracked = this.track(batch, r.id, r.name, seen, staleAfterMs);
      const sampledAt = r.timestamps[r.timestamps.length - 1] ?? 0;
      if (sampledAt < tracked.sampledAt) continue;
      tracked.sampledAt = sampledAt;
      for (const metric in r.values) {
        const values = r.values[metric]!;
        if (values.length === 0) continue;
        const spec = prometheusMetric(metric, batch.units[metric] ?? '');
        const gauge = this.gauge(spec.name, spec.help);
        gauge.set(tracked.labels, values[values.length - 1]! * spec.factor);
        if (!tracked.gauges.includes(gauge)) tracked.gauges.push(gauge);
      }
    }
  }

  retire(what: MetricsRetired): void {
    for (const [key, t] of this.resources) {
      if (t.storageId === what.storageId && (!what.resourceType || t.resourceType === what.resourceType)) this.drop(key, t);
    }
  }

  /** Removes the series of resources not reported for three of their intervals. */
  sweep(): number {
    const now = this.now();
    let dropped = 0;
    for (const [key, t] of this.resources) {
      if (now - t.lastSeen > t.staleAfterMs) {
        this.drop(key, t);
        dropped++;
      }
    }
    return dropped;
  }

  /** Series currently exported (resources × metrics). */
  get seriesCount(): number {
    let n = 0;
    for (const t of this.resources.values()) n += t.gauges.length;
    return n;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  private track(batch: MetricBatch, id: string, name: string | null, seen: number, staleAfterMs: number): Tracked {
    const key = `${batch.storageId}|${batch.resourceType}|${id}`;
    let t = this.resources.get(key);
    if (!t || t.labels.resource_name !== (name ?? id) || t.labels.storage_name !== batch.storageName) {
      if (t) this.drop(key, t); // renamed: the old series end, new ones start
      t = {
        labels: {
          storage_id: batch.storageId,
          storage_name: batch.storageName,
          serial_number: batch.serialNumber,
          resource_type: resourceTypeLabel(batch.resourceType),
          resource_id: id,
          resource_name: name ?? id,
        },
        gauges: [],
        storageId: batch.storageId,
        resourceType: batch.resourceType,
        lastSeen: seen,
        staleAfterMs,
        sampledAt: 0,
      };
      this.resources.set(key, t);
    }
    t.lastSeen = seen;
    t.staleAfterMs = staleAfterMs;
    return t;
  }

  private drop(key: string, t: Tracked): void {
    for (const g of t.gauges) g.remove(t.labels);
    this.resources.delete(key);
  }

  private gauge(name: string, help: string): Gauge {
    let g = this.gauges.get(name);
    if (!g) {
      g = new Gauge({ name, help, labelNames: [...LABELS], registers: [this.registry] });
      this.gauges.set(name, g);
    }
    return g;
  }
}
