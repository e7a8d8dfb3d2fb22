// The system_counter table's store: counters of the system's own work (tasks, driver calls,
// traps) shared by every process, so any api replica exports the same totals.
import type { Queryable } from '../sql.js';
import { observation, TASK_DURATION_BUCKETS, type CounterIncrement } from '../../lib/histogram.js';

export interface CounterRow {
  metric: string;
  labels: Record<string, string>;
  value: number;
}

/** Adds increments (one statement; equal metric and labels summed first, so no row is hit twice; in key order). */
export async function addToCounters(q: Queryable, increments: readonly CounterIncrement[]): Promise<void> {
  const summed = new Map<string, CounterIncrement>();
  for (const i of increments) {
    // Labels in key order, joined: the sort key below, made for each increment, cost 5x more,
    // and a worker sums ~130 increments a task (its driver calls' histograms) at every flush.
    let key = i.metric;
    for (const k of Object.keys(i.labels).sort()) key += `\u0000${k}\u0001${i.labels[k]}`;
    const s = summed.get(key);
    if (s) s.value += i.value;
    else summed.set(key, { ...i });
  }
  if (summed.size === 0) return;
  // Rows locked in one order by every writer (of any version): two flushes (or task ends) never wait on each other in a cycle.
  const rows = [...summed.values()]
    .map((r) => [`${r.metric}\u0000${JSON.stringify(Object.entries(r.labels).sort())}`, r] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
  await q.query(
    `insert into system_counter (metric, labels, value)
     select metric, labels, value from unnest($1::text[], $2::jsonb[], $3::float8[]) with ordinality as u(metric, labels, value, n) order by n
     on conflict (metric, labels) do update set value = system_counter.value + excluded.value, updated_at = now()`,
    [rows.map((r) => r.metric), rows.map((r) => JSON.stringify(r.labels)), rows.map((r) => r.value)],
  );
}

/** Counts a task's end: delfin_tasks_total{kind,status} and, for a task that ran, its duration. */
export function taskEndIncrements(t: { kind: string; status: string; startedAt: Date | null; finishedAt: Date | null }): CounterIncrement[] {
  const rows: CounterIncrement[] = [{ metric: 'delfin_tasks_total', labels: { kind: t.kind, status: t.status }, value: 1 }];
  if (t.startedAt && t.finishedAt) {
    const seconds = Math.max(0, t.finishedAt.getTime() - t.startedAt.getTime()) / 1000;
    rows.push(...observation('delfin_task_duration_seconds', { kind: t.kind }, seconds, TASK_DURATION_BUCKETS));
  }
  return rows;
}

export async function readCounters(q: Queryable): Promise<CounterRow[]> {
  const { rows } = await q.query('select metric, labels, value from system_counter order by metric, labels');
  return rows as CounterRow[];
}
