// The sync_schedule table: each storage's periodic sync, where it lives (the api writes it; the
// scheduler's reconciler makes Agenda's job from it). Its run times mirror the job's: the
// scheduler records them when it applies the schedule and at each run, for queries to show.
import type { Queryable } from '../sql.js';

export interface SyncScheduleRow {
  storageId: string;
  enabled: boolean;
  intervalSeconds: number | null;
  cron: string | null;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  updatedAt: Date;
}

const COLUMNS = 'storage_id, enabled, interval_seconds, cron, next_run_at, last_run_at, updated_at';

function fromRow(r: Record<string, unknown>): SyncScheduleRow {
  return {
    storageId: r.storage_id as string,
    enabled: Boolean(r.enabled),
    intervalSeconds: r.interval_seconds === null ? null : Number(r.interval_seconds),
    cron: (r.cron as string | null) ?? null,
    nextRunAt: (r.next_run_at as Date | null) ?? null,
    lastRunAt: (r.last_run_at as Date | null) ?? null,
    updatedAt: r.updated_at as Date,
  };
}

export interface ScheduleWrite {
  storageId: string;
  enabled: boolean;
  intervalSeconds: number | null;
  cron: string | null;
  nextRunAt: Date | null;
}

/** Creates or replaces a storage's schedule (its last run stays); undefined when the storage is gone. */
export async function upsertSchedule(q: Queryable, s: ScheduleWrite): Promise<SyncScheduleRow | undefined> {
  const { rows } = await q.query(
    `insert into sync_schedule (storage_id, enabled, interval_seconds, cron, next_run_at)
     select $1, $2, $3, $4, $5 where exists (select 1 from storage where id = $1)
     on conflict (storage_id) do update set enabled = excluded.enabled, interval_seconds = excluded.interval_seconds,
       cron = excluded.cron, next_run_at = excluded.next_run_at, updated_at = now()
     returning ${COLUMNS}`,
    [s.storageId, s.enabled, s.intervalSeconds, s.cron, s.nextRunAt],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function getSchedules(q: Queryable, storageIds: readonly string[]): Promise<SyncScheduleRow[]> {
  const { rows } = await q.query(`select ${COLUMNS} from sync_schedule where storage_id = any($1::uuid[])`, [storageIds]);
  return rows.map(fromRow);
}

/** A periodic sync ran (the scheduler): when, and when it runs next. */
export async function recordRun(q: Queryable, storageId: string, lastRunAt: Date, nextRunAt: Date | null): Promise<void> {
  await q.query(
    `update sync_schedule set last_run_at = $2, next_run_at = $3 where storage_id = $1 and enabled`,
    [storageId, lastRunAt, nextRunAt],
  );
}

export async function deleteSchedule(q: Queryable, storageId: string): Promise<boolean> {
  const { rowCount } = await q.query('delete from sync_schedule where storage_id = $1', [storageId]);
  return (rowCount ?? 0) > 0;
}

/** A schedule row's version as the scheduler's jobs carry it: its last change, in microseconds. */
export const SCHEDULE_VERSION = `(extract(epoch from c.updated_at) * 1000000)::bigint::text`;

/** The job store's next run, mirrored for Storage.syncSchedule, unless the schedule changed since `version`. */
export async function mirrorNextRun(q: Queryable, storageId: string, nextRunAt: Date | null, version: string): Promise<void> {
  await q.query(`update sync_schedule c set next_run_at = $2 where storage_id = $1 and ${SCHEDULE_VERSION} = $3`, [storageId, nextRunAt, version]);
}
