// A batch of performance samples as it leaves a worker: one storage, one resource type, one
// window, a bounded number of samples (a collection is split into several batches so each NATS
// message stays well under the server's max_payload). Columnar: a resource's metrics share
// one list of timestamps, so a sample costs one number in the JSON. This is the NATS exporter's
// documented format (README, "Performance metrics"); the api's Prometheus exporter and the
// metricSamples subscription read it too.
import type { MetricSeries, ResourceType } from '../drivers/driver.js';

export interface BatchResource {
  /** The resource's native id on the array (the array's serial number for STORAGE). */
  id: string;
  /** Its name in the database, when known. */
  name: string | null;
  /** Sample times (ms since the epoch), in order. */
  timestamps: number[];
  /** Metric name → values, values[i] at timestamps[i], in the driver's units. */
  values: Record<string, number[]>;
}

export interface MetricBatch {
  storageId: string;
  storageName: string;
  serialNumber: string;
  resourceType: ResourceType;
  /** The polling interval, so a consumer knows when a series has gone stale. */
  intervalSeconds: number;
  window: { start: number; end: number };
  /** Metric name → unit (IOPS, MB/s, ms, KB, %). */
  units: Record<string, string>;
  /** A resource whose metrics came with different timestamps appears once per set of timestamps. */
  resources: BatchResource[];
}

/** `<ns>.metrics.<storageId>.<resourceType>`: one subject per storage and resource type. */
export function metricsSubject(namespace: string, storageId: string, resourceType: ResourceType | '*'): string {
  return `${namespace}.metrics.${storageId}.${resourceType}`;
}

/** Every batch of the namespace (what an api process feeds its exporters from). */
export const allMetricsSubject = (namespace: string): string => `${namespace}.metrics.*.*`;

/** "Forget these series": a storage deleted (no resourceType) or a resource type no longer collected. */
export interface MetricsRetired {
  storageId: string;
  resourceType?: ResourceType;
}

export const retiredSubject = (namespace: string): string => `${namespace}.metrics-retired`;

/** Samples per batch: at about 10 bytes a sample, a batch stays well under NATS' default 1 MB. */
export const MAX_SAMPLES_PER_BATCH = 50_000;

export type BatchHeader = Omit<MetricBatch, 'resources' | 'units'>;

const sameTimes = (a: number[], b: number[]): boolean => a === b || (a.length === b.length && a.every((t, i) => t === b[i]));

/**
 * Groups the driver's series by resource (and timestamps) and splits them into batches of at
 * most `maxSamples` samples (a resource is never split). `names` gives resource names by native id.
 */
export function toBatches(
  header: BatchHeader,
  series: MetricSeries[],
  names: ReadonlyMap<string, string>,
  maxSamples = MAX_SAMPLES_PER_BATCH,
): MetricBatch[] {
  const units: Record<string, string> = {};
  const byResource = new Map<string, BatchResource[]>();
  const order: BatchResource[] = [];
  for (const s of series) {
    units[s.metric] = s.unit;
    const entries = byResource.get(s.resourceId) ?? [];
    let entry = entries.find((e) => sameTimes(e.timestamps, s.timestamps) && !(s.metric in e.values));
    if (!entry) {
      entry = { id: s.resourceId, name: names.get(s.resourceId) ?? null, timestamps: s.timestamps, values: {} };
      entries.push(entry);
      byResource.set(s.resourceId, entries);
      order.push(entry);
    }
    entry.values[s.metric] = s.values;
  }
  const batches: MetricBatch[] = [];
  let current: BatchResource[] = [];
  let samples = 0;
  for (const resource of order) {
    const n = countResource(resource);
    if (current.length > 0 && samples + n > maxSamples) {
      batches.push({ ...header, units, resources: current });
      current = [];
      samples = 0;
    }
    current.push(resource);
    samples += n;
  }
  if (current.length > 0) batches.push({ ...header, units, resources: current });
  return batches;
}

function countResource(r: BatchResource): number {
  let n = 0;
  for (const v of Object.values(r.values)) n += v.length;
  return n;
}

export function countSamples(batch: MetricBatch): number {
  let n = 0;
  for (const r of batch.resources) n += countResource(r);
  return n;
}
