// A Prometheus histogram observation as counter increments: one per bucket the value falls in
// (`le` cumulative, `+Inf` always), its `_sum` and its `_count`. Kept as plain rows so a process
// can add them to shared counters (PostgreSQL) instead of a histogram of its own.

export interface CounterIncrement {
  metric: string;
  labels: Record<string, string>;
  value: number;
}

/** Task durations: from a quick removal to a back-fill of hours. */
export const TASK_DURATION_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
/** Driver calls: from a cached answer to a page that nearly timed out. */
export const DRIVER_CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function observation(metric: string, labels: Record<string, string>, value: number, buckets: readonly number[]): CounterIncrement[] {
  const rows: CounterIncrement[] = [];
  for (const le of buckets) if (value <= le) rows.push({ metric: `${metric}_bucket`, labels: { ...labels, le: String(le) }, value: 1 });
  rows.push({ metric: `${metric}_bucket`, labels: { ...labels, le: '+Inf' }, value: 1 });
  rows.push({ metric: `${metric}_sum`, labels, value });
  rows.push({ metric: `${metric}_count`, labels, value: 1 });
  return rows;
}
