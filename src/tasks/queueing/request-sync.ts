// The one way a sync is queued, for one storage or many: the API (syncStorage, syncAllStorages)
// and the scheduler (periodic syncs, SCHEDULED tasks that came due) all come here. The steps:
// in one transaction, insert the syncs (or move the due one to QUEUED) and mark the storages
// SYNCING; then publish; for what the bus refused, undo both in one transaction.
// Rule 2: a storage with a sync already queued or running gets that task back, so periodic
// ticks that come while a sync runs coalesce instead of piling up. A periodic sync's task keeps
// the time its tick was due in scheduledFor (its delay is createdAt - scheduledFor), and a tick
// makes at most one task: delivered again (at-least-once), it gets its task back (insertSyncs).
import type { Sql } from '../../db/sql.js';
import type { SyncState, TaskPriority } from '../../db/entities/enums.js';
import { busUnavailable, type Refused, type TaskEnqueuer } from './enqueue.js';
import { deleteTasks, backToScheduled, getTask, insertSyncs, markDueQueued, type TaskRow } from '../../db/stores/task-store.js';
import { lockForQueueing, markSyncing, putBackSyncStates } from '../../db/stores/storage-store.js';

export interface QueuedSyncs {
  /** Syncs queued now. */
  created: TaskRow[];
  /** Syncs that were already queued or running (rule 2). */
  existing: TaskRow[];
  /** Syncs the bus refused: undone (their storages show their state before). */
  refused: Refused[];
}

/** Queues a sync of each storage now, one statement for all; see the top of the file. */
export async function queueSyncs(
  sql: Sql,
  enqueuer: TaskEnqueuer,
  storageIds: string[],
  priority: TaskPriority,
  opts: { message?: string; dueAt?: Date } = {},
): Promise<QueuedSyncs> {
  const r = await queueSyncsOnce(sql, enqueuer, storageIds, priority, opts);
  // An open sync found here that its own request was still publishing, and that the bus then
  // refused, is gone: those storages are queued again (a few rounds at most, each a new refusal).
  for (let round = 0; round < 3; round++) {
    const gone = await enqueuer.untilPublished(r.existing);
    if (gone.size === 0) break;
    const again = r.existing.filter((t) => gone.has(t.id));
    r.existing = r.existing.filter((t) => !gone.has(t.id));
    const more = await queueSyncsOnce(sql, enqueuer, again.map((t) => t.storageId), priority, opts);
    r.created.push(...more.created);
    r.refused.push(...more.refused);
    r.existing.push(...more.existing);
  }
  return r;
}

async function queueSyncsOnce(
  sql: Sql,
  enqueuer: TaskEnqueuer,
  storageIds: string[],
  priority: TaskPriority,
  opts: { message?: string; dueAt?: Date },
): Promise<QueuedSyncs> {
  const { created, existing, previous } = await sql.tx(async (q) => {
    const r = await insertSyncs(q, storageIds, { priority, message: opts.message, scheduledFor: opts.dueAt });
    return { ...r, previous: await markSyncing(q, r.created.map((t) => t.storageId)) };
  });
  const refused = await enqueuer.publishAll(created, async (q, failed) => {
    await deleteTasks(q, failed.map((t) => t.id));
    await putBackSyncStates(q, previousOf(previous, failed));
  });
  const failed = new Set(refused.map((r) => r.task.id));
  return { created: created.filter((t) => !failed.has(t.id)), existing, refused };
}

/** A sync of one storage, now; UNAVAILABLE (nothing changed) when the bus refuses it. */
export async function requestSync(
  sql: Sql,
  enqueuer: TaskEnqueuer,
  storageId: string,
  priority: TaskPriority,
  message?: string,
  /** A periodic sync: when its tick was due (kept as the task's scheduledFor). */
  dueAt?: Date,
): Promise<{ task: TaskRow; created: boolean }> {
  const r = await queueSyncs(sql, enqueuer, [storageId], priority, { message, dueAt });
  if (r.refused[0]) throw busUnavailable(r.refused[0].error);
  return r.created[0] ? { task: r.created[0], created: true } : { task: r.existing[0]!, created: false };
}

/**
 * A SCHEDULED sync came due: SCHEDULED → QUEUED and its storage SYNCING in one transaction,
 * then published (if the bus refuses: back to SCHEDULED, storage as before, UNAVAILABLE).
 * Undefined when it is not queued: no longer SCHEDULED, its storage gone or being deleted, or
 * a sync of it already open (the partial unique index: rule 2).
 */
export async function queueDueSync(sql: Sql, enqueuer: TaskEnqueuer, taskId: string): Promise<TaskRow | undefined> {
  const due = await sql
    .tx(async (q) => {
      const task = await getTask(q, taskId);
      const storage = task && (await lockForQueueing(q, task.storageId));
      if (!storage || storage.deleting) return undefined;
      const queued = await markDueQueued(q, taskId);
      return queued && { queued, previous: await markSyncing(q, [queued.storageId]) };
    })
    .catch((err: { code?: string }) => {
      if (err.code === UNIQUE_VIOLATION) return undefined;
      throw err;
    });
  if (!due) return undefined;
  const [refused] = await enqueuer.publishAll([due.queued], async (q) => {
    await backToScheduled(q, taskId);
    await putBackSyncStates(q, due.previous);
  });
  if (refused) throw busUnavailable(refused.error);
  return due.queued;
}

const UNIQUE_VIOLATION = '23505';

function previousOf(previous: Map<string, SyncState>, tasks: TaskRow[]): Map<string, SyncState> {
  return new Map(tasks.map((t) => [t.storageId, previous.get(t.storageId) ?? 'NEVER_SYNCED']));
}
