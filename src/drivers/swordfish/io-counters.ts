// Swordfish IOStatistics are cumulative counters (requests, KiB, busy time since some start).
// Two readings make the rates of the interval between them; a counter that went down (a reset,
// a controller restart, a wrap) makes that interval unusable: it is skipped and reported.
import type { CounterReading, CounterReset, MetricSeries, MetricSpec, ResourceType } from '../driver.js';
import { STANDARD_METRICS } from '../standard-metrics.js';
import type { Json } from './redfish-client.js';

/** Every standard metric (../standard-metrics.ts). */
export const SWORDFISH_METRICS: readonly MetricSpec[] = STANDARD_METRICS;

const UNITS = new Map(SWORDFISH_METRICS.map((m) => [m.name, m.unit]));

export function unknownMetrics(metrics: string[]): string[] {
  return metrics.filter((m) => !UNITS.has(m));
}

const COUNTS = ['ReadIORequests', 'WriteIORequests', 'ReadHitIORequests', 'WriteHitIORequests', 'ReadIOKiBytes', 'WriteIOKiBytes'] as const;
const TIMES = ['ReadIORequestTime', 'WriteIORequestTime'] as const;

/** ISO 8601 duration ("PT1M2.5S", "P1DT2H") to milliseconds; null when it is not one. */
export function durationMs(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v * 1000;
  if (typeof v !== 'string') return null;
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(v.trim());
  if (!m || v.trim() === 'P' || v.trim() === 'PT') return null;
  const [d, h, min, s] = m.slice(1).map((x) => (x ? Number(x) : 0)) as [number, number, number, number];
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}

/** The counters of a resource's IOStatistics, or null when it has none. */
export function readCounters(resourceType: ResourceType, resourceId: string, resource: Json, at: number): CounterReading | null {
  const io = resource.IOStatistics;
  if (!io || typeof io !== 'object') return null;
  const stats = io as Json;
  const values: Record<string, number> = {};
  for (const name of COUNTS) if (typeof stats[name] === 'number') values[name] = stats[name] as number;
  for (const name of TIMES) {
    const ms = durationMs(stats[name]);
    if (ms !== null) values[`${name}Ms`] = ms;
  }
  return Object.keys(values).length === 0 ? null : { resourceType, resourceId, at, values };
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** The fifteen metrics over the interval between two readings (deltas of absent counters are 0). */
export function ratesBetween(before: CounterReading, after: CounterReading): Record<string, number> {
  const seconds = (after.at - before.at) / 1000;
  const d = (name: string) => (after.values[name] ?? 0) - (before.values[name] ?? 0);
  const reads = d('ReadIORequests');
  const writes = d('WriteIORequests');
  const readKiB = d('ReadIOKiBytes');
  const writeKiB = d('WriteIOKiBytes');
  const readMs = d('ReadIORequestTimeMs');
  const writeMs = d('WriteIORequestTimeMs');
  const readHits = d('ReadHitIORequests');
  const writeHits = d('WriteHitIORequests');
  return {
    iops: (reads + writes) / seconds,
    readIops: reads / seconds,
    writeIops: writes / seconds,
    throughput: (readKiB + writeKiB) / 1024 / seconds,
    readThroughput: readKiB / 1024 / seconds,
    writeThroughput: writeKiB / 1024 / seconds,
    responseTime: ratio(readMs + writeMs, reads + writes),
    readResponseTime: ratio(readMs, reads),
    writeResponseTime: ratio(writeMs, writes),
    ioSize: ratio(readKiB + writeKiB, reads + writes),
    readIoSize: ratio(readKiB, reads),
    writeIoSize: ratio(writeKiB, writes),
    cacheHitRatio: 100 * ratio(readHits + writeHits, reads + writes),
    readCacheHitRatio: 100 * ratio(readHits, reads),
    writeCacheHitRatio: 100 * ratio(writeHits, writes),
  };
}

/** Counters present in both readings that went down. */
function wentDown(before: CounterReading, after: CounterReading): string[] {
  return Object.keys(after.values).filter((k) => before.values[k] !== undefined && after.values[k]! < before.values[k]!);
}

export interface CounterOutcome {
  series: MetricSeries[];
  resets: CounterReset[];
}

/**
 * Turns the new readings into one sample per resource and metric, against the previous
 * readings of the same resources. A resource with no previous reading, or whose reading did not
 * move forward in time, has no sample; one whose counters went down is a reset.
 */
export function seriesFromReadings(previous: CounterReading[], current: CounterReading[], metrics: string[]): CounterOutcome {
  const before = new Map(previous.map((r) => [`${r.resourceType}|${r.resourceId}`, r]));
  const series: MetricSeries[] = [];
  const resets: CounterReset[] = [];
  for (const now of current) {
    const then = before.get(`${now.resourceType}|${now.resourceId}`);
    if (!then || now.at <= then.at) continue;
    const down = wentDown(then, now);
    if (down.length > 0) {
      resets.push({ resourceType: now.resourceType, resourceId: now.resourceId, from: then.at, to: now.at, counters: down });
      continue;
    }
    const rates = ratesBetween(then, now);
    const timestamps = [now.at];
    for (const metric of metrics) {
      series.push({ resourceType: now.resourceType, resourceId: now.resourceId, metric, unit: UNITS.get(metric)!, timestamps, values: [rates[metric]!] });
    }
  }
  return { series, resets };
}
