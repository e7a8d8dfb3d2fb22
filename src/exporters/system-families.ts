// The system's own figures as Prometheus families: the shared counters (tasks ended, their
// durations, driver calls, traps) and the open tasks and alerts, all read from PostgreSQL, so
// every api replica answers the same totals however many workers and receivers counted them.
import type { Queryable } from '../db/sql.js';
import { OPEN_TASK_STATUSES, TASK_KINDS } from '../db/entities/enums.js';
import { readCounters } from '../db/stores/system-counter-store.js';
import { countOpenTasks } from '../db/stores/task-store.js';
import type { Family, MetricType, Sample } from './exposition.js';

/** The counters' families; a row of a metric not listed here is exported as a counter with a plain help. */
const COUNTERS: Record<string, { type: MetricType; help: string }> = {
  delfin_tasks_total: { type: 'counter', help: 'Tasks ended, by kind and status' },
  delfin_task_duration_seconds: { type: 'histogram', help: 'How long tasks ran, from their first start to their end, by kind' },
  delfin_driver_call_duration_seconds: { type: 'histogram', help: 'Driver calls (a listing counts one call per page) by driver and call, and how long they took' },
  delfin_driver_call_errors_total: { type: 'counter', help: 'Driver calls that failed or timed out, by driver and call' },
  delfin_traps_received_total: { type: 'counter', help: 'SNMP traps taken by the alerts role(s)' },
  delfin_traps_stored_total: { type: 'counter', help: 'SNMP traps stored as alerts (raised) or as clears, by what they did' },
};

const HISTOGRAM_PART = /_(bucket|sum|count)$/;

export async function counterFamilies(q: Queryable): Promise<Family[]> {
  const families = new Map<string, Family>();
  for (const row of await readCounters(q)) {
    const name = familyName(row.metric);
    let f = families.get(name);
    if (!f) {
      const known = COUNTERS[name];
      f = { name, help: known?.help ?? `Counter ${name}`, type: known?.type ?? 'counter', samples: [] };
      families.set(name, f);
    }
    f.samples.push({ name: row.metric, labels: row.labels, value: row.value });
  }
  for (const f of families.values()) if (f.type === 'histogram') f.samples.sort(histogramOrder);
  return [...families.values()];
}

/** Open tasks by kind and status; 0 where there are none, so a panel shows a flat line, not nothing. */
export async function openTaskFamily(q: Queryable): Promise<Family> {
  const found = new Map((await countOpenTasks(q)).map((r) => [`${r.kind}|${r.status}`, r.count]));
  const samples: Sample[] = TASK_KINDS.flatMap((kind) =>
    OPEN_TASK_STATUSES.map((status) => ({ labels: { kind, status }, value: found.get(`${kind}|${status}`) ?? 0 })),
  );
  return { name: 'delfin_tasks', help: 'Tasks not yet ended (SCHEDULED, QUEUED, RUNNING), by kind and status', type: 'gauge', samples };
}

function familyName(metric: string): string {
  const base = metric.replace(HISTOGRAM_PART, '');
  return base !== metric && COUNTERS[base]?.type === 'histogram' ? base : metric;
}

/** A histogram's samples grouped by label set: its buckets by `le` (+Inf last), then _sum, _count. */
function histogramOrder(a: Sample, b: Sample): number {
  const ka = groupKey(a);
  const kb = groupKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const [pa, la] = rank(a);
  const [pb, lb] = rank(b);
  return pa !== pb ? pa - pb : la === lb ? 0 : la < lb ? -1 : 1;
}

const groupKey = (s: Sample): string => JSON.stringify(Object.entries(s.labels as Record<string, string>).filter(([k]) => k !== 'le').sort());

function rank(s: Sample): [number, number] {
  const part = (s.name ?? '').match(HISTOGRAM_PART)?.[1];
  if (part === 'bucket') {
    const le = (s.labels as Record<string, string>).le;
    return [0, le === '+Inf' ? Infinity : Number(le)];
  }
  return [part === 'sum' ? 1 : 2, 0];
}
