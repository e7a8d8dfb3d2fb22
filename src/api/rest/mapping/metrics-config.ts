// The seed's metrics-config body ({ array_polling: { perf_collection, interval, is_historic }, ...})
// as ours, and back.
import type { MetricsConfig, PollingConfig } from '../../../db/stores/metrics-config-store.js';
import type { MetricsConfigInput } from '../../types/metrics.js';
import { invalidInput } from '../errors.js';

interface DelfinPolling {
  perf_collection: boolean;
  interval?: number;
  is_historic?: boolean;
}

export type DelfinMetricsConfig = Partial<Record<'array_polling' | 'pool_polling' | 'volume_polling', DelfinPolling>>;

const KEYS = [['array_polling', 'arrayPolling'], ['pool_polling', 'poolPolling'], ['volume_polling', 'volumePolling']] as const;

const toDelfinPolling = (p: PollingConfig): DelfinPolling => ({ perf_collection: p.perfCollection, interval: p.interval, is_historic: p.isHistoric });

export function toDelfinMetricsConfig(c: MetricsConfig): DelfinMetricsConfig {
  return Object.fromEntries(KEYS.map(([delfin, ours]) => [delfin, toDelfinPolling(c[ours])]));
}

/** What is left out of a polling keeps its current value. */
export function fromDelfinMetricsConfig(body: DelfinMetricsConfig, current: MetricsConfig): MetricsConfigInput {
  if (!KEYS.some(([delfin]) => body[delfin])) throw invalidInput('Give at least one of array_polling, pool_polling and volume_polling.');
  const input: MetricsConfigInput = {};
  for (const [delfin, ours] of KEYS) {
    const p = body[delfin];
    if (!p) continue;
    input[ours] = { perfCollection: p.perf_collection, interval: p.interval ?? current[ours].interval, isHistoric: p.is_historic ?? current[ours].isHistoric };
  }
  return input;
}
