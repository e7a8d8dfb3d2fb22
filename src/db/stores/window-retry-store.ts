// The metric_window_retry table: performance windows that failed, per storage and resource
// type, waiting for a later poll to try them again (see tasks/kinds/performance/window-retries.ts).
import type { Queryable } from '../sql.js';
import type { ResourceType } from '../../drivers/driver.js';

export interface FailedWindow {
  start: number;
  end: number;
  /** Polls that tried it so far. */
  tries: number;
  firstFailedAt: number;
  nextTryAt: number;
  lastError: string;
}

/** The windows whose next try is due at `now`, oldest first. */
export async function dueWindows(q: Queryable, storageId: string, resourceType: ResourceType, now: number): Promise<FailedWindow[]> {
  const { rows } = await q.query(
    `select window_start, window_end, tries, first_failed_at, next_try_at, last_error from metric_window_retry
     where storage_id = $1 and resource_type = $2 and next_try_at <= $3 order by window_start`,
    [storageId, resourceType, new Date(now)],
  );
  return rows.map((r) => ({
    start: (r.window_start as Date).getTime(),
    end: (r.window_end as Date).getTime(),
    tries: Number(r.tries),
    firstFailedAt: (r.first_failed_at as Date).getTime(),
    nextTryAt: (r.next_try_at as Date).getTime(),
    lastError: r.last_error as string,
  }));
}

/** Keeps (or updates) a failed window for a later try; nothing when the storage is gone. */
export async function keepFailedWindow(q: Queryable, storageId: string, resourceType: ResourceType, w: FailedWindow): Promise<void> {
  await q.query(
    `insert into metric_window_retry (storage_id, resource_type, window_start, window_end, tries, first_failed_at, next_try_at, last_error)
     select $1, $2, $3, $4, $5, $6, $7, $8 where exists (select 1 from storage where id = $1)
     on conflict (storage_id, resource_type, window_start) do update
       set window_end = excluded.window_end, tries = excluded.tries, next_try_at = excluded.next_try_at, last_error = excluded.last_error`,
    [storageId, resourceType, new Date(w.start), new Date(w.end), w.tries, new Date(w.firstFailedAt), new Date(w.nextTryAt), w.lastError],
  );
}

/** A window collected or given up: out of the list. */
export async function dropFailedWindow(q: Queryable, storageId: string, resourceType: ResourceType, start: number): Promise<void> {
  await q.query('delete from metric_window_retry where storage_id = $1 and resource_type = $2 and window_start = $3', [storageId, resourceType, new Date(start)]);
}

/** How many windows of the type wait for a try. */
export async function waitingWindows(q: Queryable, storageId: string, resourceType: ResourceType): Promise<number> {
  const { rows } = await q.query('select count(*)::int as n from metric_window_retry where storage_id = $1 and resource_type = $2', [storageId, resourceType]);
  return Number(rows[0]?.n ?? 0);
}
