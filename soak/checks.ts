// The checks, made from outside on what the system stored: tasks end within a bound (FAILED with
// a reason), no two runs of one storage at once, rows equal the simulator's inventory, each
// schedule tick made at most one task and schedules keep ticking, RSS stays near its start.
import { withDb } from '../test/support/db.js';
import { countVolumes } from '../src/drivers/fake/fake-churn.js';
import { parseFakeOptions } from '../src/drivers/fake/fake-options.js';
import { storageAttributes, type SoakStorage } from './load.js';
import type { RoleProcess } from './role-process.js';
import type { Seen } from './subscribers.js';
import { MIN_INTERVAL_SECONDS } from './system.js';

export interface Violation {
  /** Seconds after the load started. */
  at: number;
  check: string;
  what: string;
}

/** A schedule may lag its interval by this much (a scheduler kill, the stand-in restarted and its jobs rebuilt by the next sweep). */
const SCHEDULE_GRACE_SECONDS = 150;

/** Checks run every few seconds during the load; each finding is reported once. */
export class ContinuousChecks {
  private readonly reported = new Set<string>();

  constructor(
    private readonly databaseUrl: string,
    private readonly taskBoundSeconds: number,
    private readonly report: (v: Omit<Violation, 'at'>) => void,
  ) {}

  private once(key: string, check: string, what: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.report({ check, what });
  }

  async run(): Promise<void> {
    await withDb(this.databaseUrl, async (c) => {
      const overdue = await c.query(
        `select id, kind, status, storage_id, created_at from task
          where status in ('QUEUED', 'RUNNING') and created_at < now() - make_interval(secs => $1)`,
        [this.taskBoundSeconds],
      );
      for (const t of overdue.rows) this.once(`task ${t.id}`, 'task ends within the bound', `${t.kind} task ${t.id} still ${t.status} ${this.taskBoundSeconds} s after it was accepted at ${t.created_at.toISOString()}`);
      const stale = await c.query(
        `select storage_id, last_run_at, updated_at from sync_schedule
          where enabled and interval_seconds is not null
            and coalesce(last_run_at, updated_at) < now() - make_interval(secs => interval_seconds + $1)`,
        [SCHEDULE_GRACE_SECONDS],
      );
      for (const s of stale.rows) {
        const since = (s.last_run_at ?? s.updated_at) as Date;
        this.once(`schedule ${s.storage_id} ${since.toISOString()}`, 'every due schedule tick runs', `the schedule of storage ${s.storage_id} last ran at ${since.toISOString()}, more than ${MIN_INTERVAL_SECONDS + SCHEDULE_GRACE_SECONDS} s ago`);
      }
    }).catch(() => undefined); // PostgreSQL busy: the next round checks again
  }
}

export interface TaskFigures {
  byOutcome: Record<string, number>;
  byKind: Record<string, number>;
  runs: number;
  /** Longest accepted-to-end, seconds. */
  longestSeconds: number;
}

/** After the quiesce: every task ended, in time, FAILED ones with a reason; the figures for the report. */
export async function checkTasks(databaseUrl: string, boundSeconds: number): Promise<{ figures: TaskFigures; violations: string[] }> {
  return withDb(databaseUrl, async (c) => {
    const rows = (await c.query(`select id, kind, status, error, created_at, finished_at from task`)).rows;
    const runs = (await c.query(`select count(*)::int as n from task_run`)).rows[0].n as number;
    const figures: TaskFigures = { byOutcome: {}, byKind: {}, runs, longestSeconds: 0 };
    const violations: string[] = [];
    for (const t of rows) {
      figures.byOutcome[t.status] = (figures.byOutcome[t.status] ?? 0) + 1;
      figures.byKind[t.kind] = (figures.byKind[t.kind] ?? 0) + 1;
      if (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(t.status)) {
        violations.push(`${t.kind} task ${t.id} never ended: ${t.status} since ${t.created_at.toISOString()}`);
        continue;
      }
      const took = (t.finished_at.getTime() - t.created_at.getTime()) / 1000;
      figures.longestSeconds = Math.max(figures.longestSeconds, took);
      if (took > boundSeconds) violations.push(`${t.kind} task ${t.id} took ${took.toFixed(0)} s to end ${t.status} (bound ${boundSeconds} s)`);
      if (t.status === 'FAILED' && !String(t.error ?? '').trim()) violations.push(`${t.kind} task ${t.id} FAILED without a reason`);
    }
    return { figures, violations };
  });
}

/**
 * Rule 2: runs of syncs and removals of one storage (table task_run) never overlap. A run that
 * never ended counts until its lease could expire; a run handed back (a worker that lost its
 * lease, paused past it, is fenced out of every write) counts until then at most.
 */
export async function checkOverlaps(databaseUrl: string): Promise<string[]> {
  const runs = await withDb(databaseUrl, async (c) =>
    (await c.query(`select r.storage_id, r.task_id, r.worker, r.started_at,
                           coalesce(case when r.outcome = 'HANDED_BACK' then least(r.ended_at, r.lease_until) else r.ended_at end,
                                    r.lease_until, r.heartbeat_at) as effective_end
                      from task_run r join task t on t.id = r.task_id
                     where t.kind in ('SYNC_RESOURCES', 'REMOVE_STORAGE') order by r.storage_id, r.started_at`)).rows,
  );
  const out: string[] = [];
  let open = runs[0];
  for (const cur of runs.slice(1)) {
    if (open.storage_id === cur.storage_id && cur.started_at < open.effective_end) {
      out.push(`runs of storage ${cur.storage_id} overlap: task ${open.task_id} on ${open.worker} until ${open.effective_end.toISOString()}, task ${cur.task_id} on ${cur.worker} from ${cur.started_at.toISOString()}`);
    }
    if (open.storage_id !== cur.storage_id || cur.effective_end > open.effective_end) open = cur;
  }
  return out;
}

/** Each live storage holds exactly the simulator's volumes at its revision (after the final sync). */
export async function checkInventory(databaseUrl: string, storages: SoakStorage[]): Promise<string[]> {
  const rows = await withDb(databaseUrl, async (c) =>
    (await c.query(`select s.id, count(v.id)::int as volumes, count(distinct v.native_volume_id)::int as distinct_ids
                      from storage s left join volume v on v.storage_id = s.id group by s.id`)).rows,
  );
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  const out: string[] = [];
  for (const s of storages) {
    const row = byId.get(s.id);
    const expected = countVolumes(parseFakeOptions({ rest: { host: s.host, port: 8443, username: 'admin', password: 'x' }, extraAttributes: storageAttributes(s) }));
    if (!row) out.push(`storage ${s.host} (${s.id}) is gone though never deleted`);
    else if (row.volumes !== expected || row.distinct_ids !== expected) out.push(`storage ${s.host} at revision ${s.revision}: ${row.volumes} volume rows (${row.distinct_ids} distinct), the simulator has ${expected}`);
  }
  return out;
}

/** Every tick made at most one task: no two periodic syncs of one storage for the same due time. */
export async function checkScheduleTicks(databaseUrl: string): Promise<{ schedules: number; periodic: number; violations: string[] }> {
  return withDb(databaseUrl, async (c) => {
    const schedules = (await c.query(`select count(*)::int as n from sync_schedule where enabled`)).rows[0].n as number;
    // Only periodic syncs carry a due time (the load never asks for a runAt).
    const periodic = (await c.query(`select count(*)::int as n from task where kind = 'SYNC_RESOURCES' and scheduled_for is not null`)).rows[0].n as number;
    const dups = (await c.query(`select storage_id, scheduled_for, count(*)::int as n from task
                                   where kind = 'SYNC_RESOURCES' and scheduled_for is not null
                                   group by storage_id, scheduled_for having count(*) > 1`)).rows;
    return { schedules, periodic, violations: dups.map((d) => `storage ${d.storage_id}: the tick due ${d.scheduled_for.toISOString()} made ${d.n} tasks`) };
  });
}

/** Every task's final version and status, for the subscribers' check. */
export async function finalTasks(databaseUrl: string): Promise<Map<string, Seen>> {
  return withDb(databaseUrl, async (c) =>
    new Map((await c.query(`select id, version, status from task`)).rows.map((r) => [r.id as string, { version: r.version, status: r.status }])),
  );
}

/** RSS bound: at the end at most twice the warmed-up RSS plus 64 MiB (incarnations that lived 2 minutes or more). */
export function checkRss(slots: RoleProcess[]): { samples: string[]; violations: string[] } {
  const samples: string[] = [];
  const violations: string[] = [];
  const mb = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  for (const s of slots) {
    const inc = s.incarnations.at(-1);
    if (!inc?.rssWarm || !inc.rssEnd) continue;
    const lived = Math.round((Date.now() - inc.startedAt) / 1000);
    samples.push(`${s.name}: ${mb(inc.rssWarm)} → ${mb(inc.rssEnd)} over ${lived} s`);
    if (lived >= 120 && inc.rssEnd > inc.rssWarm * 2 + 64 * 2 ** 20) violations.push(`${s.name} grew from ${mb(inc.rssWarm)} to ${mb(inc.rssEnd)} in ${lived} s`);
  }
  return { samples, violations };
}
