// The performance metrics delfin exports, with their units (Delfin's standard array, pool and
// volume metrics). Drivers report these names so every exporter and dashboard reads one set.
import type { MetricSpec } from './driver.js';

export const STANDARD_METRICS: readonly MetricSpec[] = [
  { name: 'iops', unit: 'IOPS' },
  { name: 'readIops', unit: 'IOPS' },
  { name: 'writeIops', unit: 'IOPS' },
  { name: 'throughput', unit: 'MB/s' },
  { name: 'readThroughput', unit: 'MB/s' },
  { name: 'writeThroughput', unit: 'MB/s' },
  { name: 'responseTime', unit: 'ms' },
  { name: 'readResponseTime', unit: 'ms' },
  { name: 'writeResponseTime', unit: 'ms' },
  { name: 'ioSize', unit: 'KB' },
  { name: 'readIoSize', unit: 'KB' },
  { name: 'writeIoSize', unit: 'KB' },
  { name: 'cacheHitRatio', unit: '%' },
  { name: 'readCacheHitRatio', unit: '%' },
  { name: 'writeCacheHitRatio', unit: '%' },
];
