// Driver calls counted into the shared counters (delfin_driver_call_duration_seconds and
// delfin_driver_call_errors_total, labelled driver="<vendor>/<model>" and call), wherever a
// driver is opened: a worker's tasks, the api's registration probe and capabilities.
import type { StorageDriver } from '../drivers/driver.js';
import { withCallMetrics } from '../drivers/call-metrics.js';
import type { CounterBuffer } from '../db/counter-buffer.js';
import { DRIVER_CALL_BUCKETS, observation, type CounterIncrement } from '../lib/histogram.js';

/** `driver`, its calls counted into `counters` (as is when there are none). */
export function countedDriver(driver: StorageDriver, counters: CounterBuffer | undefined, vendor: string, model: string): StorageDriver {
  if (!counters) return driver;
  const labels = { driver: `${vendor}/${model}` };
  return withCallMetrics(driver, (call, seconds, failed) => counters.add(driverCallIncrements({ ...labels, call }, seconds, failed)));
}

function driverCallIncrements(labels: { driver: string; call: string }, seconds: number, failed: boolean): CounterIncrement[] {
  const rows = observation('delfin_driver_call_duration_seconds', labels, seconds, DRIVER_CALL_BUCKETS);
  // 0 on a success: the series exists (a failure rate of 0) before the first failure.
  rows.push({ metric: 'delfin_driver_call_errors_total', labels, value: failed ? 1 : 0 });
  return rows;
}
