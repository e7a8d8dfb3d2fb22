// A batch of performance samples as it leaves a worker: one storage, one resource type, one
// window, a bounded number of points (a collection is split into several batches so each NATS
// message stays well under the server's max_payload). This JSON is the NATS exporter's
// documented format (README, "Metrics"); the api's Prometheus exporter and the metricSamples
// subscription read it too.
import type { MetricSeries, ResourceType } from '../drivers/driver.js';

export interface BatchResource {
  /** The resource's native id on the array (the array's serial number for STORAGE). */
  id: string;
  /** Its name in the database, when known. */
  name: string | null;
  /** Metric name → [timestamp ms, value] pairs in time order, in the driver's units. */
  series: Record<string, Array<[number, number]>>;
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

/** Points per batch: at about 25 bytes a point, a batch stays near 500 KB (NATS' default limit is 1 MB). */
export const MAX_POINTS_PER_BATCH = 20_000;

export interface BatchHeader extends Omit<MetricBatch, 'resources' | 'units'> {}

/**
 * Groups the driver's series by resource and splits them into batches of at most `maxPoints`
 * points (a resource is never split). `names` gives resource names by native id.
 */
export function toBatches(
  header: BatchHeader,
  series: MetricSeries[],
  names: ReadonlyMap<string, string>,
  maxPoints = MAX_POINTS_PER_BATCH,
): MetricBatch[] {
  const units: Record<string, string> = {};
  const byResource = new Map<string, { resource: BatchResource; points: number }>();
  for (const s of series) {
    units[s.metric] = s.unit;
    let entry = byResource.get(s.resourceId);
    if (!entry) {
      entry = { resource: { id: s.resourceId, name: names.get(s.resourceId) ?? null, series: {} }, points: 0 };
      byResource.set(s.resourceId, entry);
    }
    entry.resource.series[s.metric] = s.points;
    entry.points += s.points.length;
  }
  const batches: MetricBatch[] = [];
  let current: BatchResource[] = [];
  let points = 0;
  for (const { resource, points: n } of byResource.values()) {
    if (current.length > 0 && points + n > maxPoints) {
      batches.push({ ...header, units, resources: current });
      current = [];
      points = 0;
    }
    current.push(resource);
    points += n;
  }
  if (current.length > 0) batches.push({ ...header, units, resources: current });
  return batches;
}

export function countPoints(batch: MetricBatch): number {
  let n = 0;
  for (const r of batch.resources) for (const points of Object.values(r.series)) n += points.length;
  return n;
}
