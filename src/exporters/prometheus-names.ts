// Driver metrics (Delfin's names and units: iops in IOPS, throughput in MB/s, responseTime in ms,
// ioSize in KB, cacheHitRatio in %) as Prometheus names them: snake case, base units, the unit as
// a suffix (`_bytes_per_second`, `_seconds`, `_bytes`, `_ratio`).

export interface PrometheusMetric {
  name: string;
  help: string;
  /** Multiplies a driver value into the base unit. */
  factor: number;
}

const PREFIX = 'delfin_';

const snake = (s: string): string =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .toLowerCase();

/** Unit → (how the name ends, factor into the base unit). */
function byUnit(metric: string, unit: string): { name: string; factor: number; unitText: string } {
  const base = snake(metric);
  switch (unit) {
    case 'IOPS':
      // iops → io_operations_per_second; read_iops → read_operations_per_second
      return { name: base === 'iops' ? 'io_operations_per_second' : base.replace(/_?iops$/, '_operations_per_second'), factor: 1, unitText: 'operations per second' };
    case 'MB/s':
      return { name: `${base}_bytes_per_second`, factor: 1024 * 1024, unitText: 'bytes per second' };
    case 'ms':
      return { name: `${base}_seconds`, factor: 1e-3, unitText: 'seconds' };
    case 'KB':
      return { name: `${base}_bytes`, factor: 1024, unitText: 'bytes' };
    case '%':
      return { name: base.endsWith('_ratio') ? base : `${base}_ratio`, factor: 0.01, unitText: 'ratio from 0 to 1' };
    default:
      return { name: base, factor: 1, unitText: unit };
  }
}

const cache = new Map<string, PrometheusMetric>();

export function prometheusMetric(metric: string, unit: string): PrometheusMetric {
  const key = `${metric}\u0000${unit}`;
  let m = cache.get(key);
  if (!m) {
    const { name, factor, unitText } = byUnit(metric, unit);
    m = { name: PREFIX + name, help: `Storage performance: ${metric} (${unitText}; collected in ${unit})`, factor };
    cache.set(key, m);
  }
  return m;
}

/** Label values of resource_type, in Prometheus' lower case. */
export const resourceTypeLabel = (t: string): string => t.toLowerCase();
