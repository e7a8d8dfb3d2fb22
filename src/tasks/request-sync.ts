// A sync of one storage, now: shared by the API (syncStorage) and the scheduler (periodic
// syncs). Rule 2: a storage with a sync already queued or running gets that task back, so
// periodic ticks that come while a sync runs coalesce instead of piling up. A periodic sync's
// task keeps the time its tick was due in scheduledFor (its delay is createdAt - scheduledFor).
import type { Sql } from '../db/sql.js';
import type { TaskPriority } from '../db/entities/enums.js';
import type { TaskEnqueuer } from './enqueue.js';
import type { TaskRow } from '../db/stores/task-store.js';
import { markSyncing, putBackSyncStates } from '../db/stores/storage-store.js';

export async function requestSync(
  sql: Sql,
  enqueuer: TaskEnqueuer,
  storageId: string,
  priority: TaskPriority,
  message?: string,
  /** A periodic sync: when its tick was due (kept as the task's scheduledFor). */
  dueAt?: Date,
): Promise<{ task: TaskRow; created: boolean }> {
  const { task, created, previous } = await sql.tx(async (q) => {
    const r = await enqueuer.insert(q, { kind: 'SYNC_RESOURCES', storageId, priority, message, scheduledFor: dueAt ?? null });
    return { ...r, previous: r.created ? await markSyncing(q, [storageId]) : undefined };
  });
  if (created) {
    await enqueuer.publish(task, async (q) => {
      if (previous) await putBackSyncStates(q, previous);
    });
  }
  return { task, created };
}
