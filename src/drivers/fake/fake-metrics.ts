// Performance series of the simulator. A sample is a pure function of (seed, resource type,
// resource id, minute): a resource gets a fixed profile (size, read share, I/O sizes, latency,
// cache behaviour) and follows a daily sinusoid over the UTC day with per-minute noise. The
// fifteen metrics are derived from one sample, so they stay consistent with each other.
import type { MetricSeries, MetricSpec, MetricWindow, ResourceType } from '../driver.js';
import { STANDARD_METRICS } from '../standard-metrics.js';
import { DriverError } from '../driver-error.js';
import type { FakeOptions } from './fake-options.js';
import { Domain, type FakeDevice, domainKey, fakeDevice } from './fake-device.js';
import { draw, hash2, hashString } from './prng.js';

/** Every standard metric (../standard-metrics.ts). */
export const FAKE_METRICS: readonly MetricSpec[] = STANDARD_METRICS;

export type FakeMetricName =
  | 'iops' | 'readIops' | 'writeIops'
  | 'throughput' | 'readThroughput' | 'writeThroughput'
  | 'responseTime' | 'readResponseTime' | 'writeResponseTime'
  | 'ioSize' | 'readIoSize' | 'writeIoSize'
  | 'cacheHitRatio' | 'readCacheHitRatio' | 'writeCacheHitRatio';

export type PerfSample = Record<FakeMetricName, number>;

const UNITS = new Map(FAKE_METRICS.map((m) => [m.name, m.unit]));

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** What stays fixed for a resource: its size and behaviour. */
export interface PerfProfile {
  key: number;
  /** IOPS at the daily peak, before noise. */
  peakIops: number;
  readShare: number;
  readIoSizeKb: number;
  writeIoSizeKb: number;
  readRtMs: number;
  writeRtMs: number;
  readHitPct: number;
  writeHitPct: number;
  /** Fraction of the day the peak is shifted by. */
  peakShift: number;
}

// A whole array serves far more I/O than a pool, and a pool more than a volume; a controller
// carries a share of the array, a port of a controller, a disk the least (the cache absorbs much).
const PEAK_IOPS: Record<ResourceType, [number, number]> = {
  STORAGE: [20_000, 150_000],
  STORAGE_POOL: [2_000, 30_000],
  VOLUME: [5, 3_000],
  DISK: [50, 800],
  CONTROLLER: [10_000, 80_000],
  PORT: [1_000, 40_000],
};

function between(h: number, field: number, min: number, max: number): number {
  return min + (max - min) * draw(h, field);
}

export function perfProfile(device: FakeDevice, resourceType: ResourceType, resourceId: string): PerfProfile {
  const key = hash2(domainKey(device, Domain.Metrics), hashString(`${resourceType}|${resourceId}`));
  const [lo, hi] = PEAK_IOPS[resourceType];
  return {
    key,
    peakIops: between(key, 1, lo, hi),
    readShare: between(key, 2, 0.5, 0.85),
    readIoSizeKb: between(key, 3, 8, 64),
    writeIoSizeKb: between(key, 4, 4, 32),
    readRtMs: between(key, 5, 0.3, 2),
    writeRtMs: between(key, 6, 0.2, 1.5),
    readHitPct: between(key, 7, 60, 95),
    writeHitPct: between(key, 8, 85, 99.5),
    peakShift: between(key, 9, -0.05, 0.05),
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const clampPct = (x: number): number => Math.min(100, Math.max(0, x));

/** Daily rhythm in [0.2, 1]: highest in the UTC afternoon, lowest at night. */
function dailyLoad(timestampMs: number, peakShift: number): number {
  const dayFraction = (((timestampMs % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
  // sin peaks at 0.25 of its period: shift so the peak falls near 15:00 UTC.
  return 0.6 + 0.4 * Math.sin(2 * Math.PI * (dayFraction - 0.375 - peakShift));
}

/** All fifteen metrics of a resource at one instant; the noise changes once per step. */
export function sampleAt(p: PerfProfile, timestampMs: number, stepMs = MINUTE_MS): PerfSample {
  const daily = dailyLoad(timestampMs, p.peakShift);
  const h = hash2(p.key, Math.floor(timestampMs / stepMs));
  const readIops = round2(p.peakIops * p.readShare * daily * between(h, 1, 0.85, 1.15));
  const writeIops = round2(p.peakIops * (1 - p.readShare) * daily * between(h, 2, 0.85, 1.15));
  const iops = readIops + writeIops;
  const readIoSize = round2(p.readIoSizeKb * between(h, 3, 0.9, 1.1));
  const writeIoSize = round2(p.writeIoSizeKb * between(h, 4, 0.9, 1.1));
  const readThroughput = (readIops * readIoSize) / 1024;
  const writeThroughput = (writeIops * writeIoSize) / 1024;
  const throughput = readThroughput + writeThroughput;
  // Utilisation relative to the noisy peak: latency grows with its square, cache hits drop.
  const load = iops / (p.peakIops * 1.15);
  const readResponseTime = p.readRtMs * (1 + 3 * load * load);
  const writeResponseTime = p.writeRtMs * (1 + 3 * load * load);
  const readCacheHitRatio = clampPct(p.readHitPct - 25 * load + between(h, 5, -2, 2));
  const writeCacheHitRatio = clampPct(p.writeHitPct - 10 * load + between(h, 6, -1, 1));
  const weighted = (r: number, w: number): number => (iops > 0 ? (readIops * r + writeIops * w) / iops : 0);
  return {
    iops,
    readIops,
    writeIops,
    throughput,
    readThroughput,
    writeThroughput,
    responseTime: weighted(readResponseTime, writeResponseTime),
    readResponseTime,
    writeResponseTime,
    ioSize: iops > 0 ? (throughput * 1024) / iops : 0,
    readIoSize,
    writeIoSize,
    cacheHitRatio: weighted(readCacheHitRatio, writeCacheHitRatio),
    readCacheHitRatio,
    writeCacheHitRatio,
  };
}

/** Throws DriverError for a metric the simulator does not know. */
export function assertKnownMetrics(metrics: string[]): asserts metrics is FakeMetricName[] {
  const unknown = metrics.filter((m) => !UNITS.has(m));
  if (unknown.length > 0) {
    throw new DriverError(`fake_driver does not collect metric(s) ${unknown.join(', ')}`, 'metrics');
  }
}

/** One metric of one resource at one instant: what collectPerfMetrics reports for it. */
export function metricValue(
  options: FakeOptions,
  resourceType: ResourceType,
  resourceId: string,
  metric: string,
  timestampMs: number,
): number {
  const names = [metric];
  assertKnownMetrics(names);
  return sampleAt(perfProfile(fakeDevice(options), resourceType, resourceId), timestampMs, options.metricStepSeconds * 1000)[names[0]!];
}

/** Whole steps (minutes by default) within [start, end], both ends included. */
export function stepTimestamps(window: MetricWindow, stepMs = MINUTE_MS): number[] {
  const start = window.start.getTime();
  const end = window.end.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new DriverError('metric window has an invalid date', 'metrics');
  }
  const out: number[] = [];
  for (let t = Math.ceil(start / stepMs) * stepMs; t <= end; t += stepMs) out.push(t);
  return out;
}

/** One series per (resource, metric), resources in the given order, metrics in request order. */
export function seriesFor(
  device: FakeDevice,
  resourceType: ResourceType,
  resourceIds: Iterable<string>,
  metrics: string[],
  window: MetricWindow,
  stepMs = MINUTE_MS,
): MetricSeries[] {
  assertKnownMetrics(metrics);
  const times = stepTimestamps(window, stepMs);
  const out: MetricSeries[] = [];
  for (const resourceId of resourceIds) {
    const profile = perfProfile(device, resourceType, resourceId);
    const samples = times.map((t) => sampleAt(profile, t, stepMs));
    for (const metric of metrics) {
      out.push({
        resourceType,
        resourceId,
        metric,
        unit: UNITS.get(metric)!,
        timestamps: times,
        values: samples.map((s) => s[metric]),
      });
    }
  }
  return out;
}
