// Tasks as users see them: one, or a filtered page.
import { isTerminal, TASK_STATUSES, type TaskStatus } from '../../db/entities/index.js';
import type { Sql } from '../../db/sql.js';
import { conflict, notFound } from '../../errors.js';
import type { TaskEnqueuer } from '../../tasks/queueing/enqueue.js';
import { getTask, listTasks, requestCancel, type TaskRow } from '../../db/stores/task-store.js';
import { restoreSyncState } from '../../db/stores/storage-store.js';
import { isId } from '../../lib/ids.js';
import { mustBeId } from './ids.js';
import type { ScheduleService } from './schedule-service.js';
import { pageRequest, toConnection } from './paging.js';

export class TaskService {
  constructor(private readonly deps: { sql: Sql; enqueuer: TaskEnqueuer; schedules: ScheduleService }) {}

  /**
   * A QUEUED task ends CANCELLED at once and never runs; a RUNNING one is asked to stop and ends
   * CANCELLED at its next step (each step is its own transaction, so the data stays consistent).
   */
  async cancel(id: string): Promise<TaskRow> {
    const { sql, enqueuer } = this.deps;
    const task = isId(id) ? await getTask(sql.q, id) : undefined;
    if (!task) throw notFound('task', id);
    if (isTerminal(task.status)) throw conflict(`The task ${id} already ended (${task.status}); there is nothing to cancel.`);
    if (task.kind === 'REMOVE_STORAGE') throw conflict('A storage removal cannot be cancelled: deleting wins.');
    const changed = task.status === 'RUNNING' ? await requestCancel(sql.q, id) : await this.cancelNotStarted(id);
    if (!changed) return this.cancel(id); // it moved on meanwhile: decide again on its new state
    enqueuer.announce(changed.status === 'CANCELLED' ? 'CANCELLED' : 'PROGRESS', changed);
    // A SCHEDULED task's job leaves the scheduler (if it stayed, it would find the task ended).
    if (task.status === 'SCHEDULED') await this.deps.schedules.forgetTask(id);
    return changed;
  }

  /** A task that has not started ends CANCELLED with its storage's sync state, in one transaction. */
  private async cancelNotStarted(id: string): Promise<TaskRow | undefined> {
    const { enqueuer } = this.deps;
    return enqueuer.cancelQueued(id, 'cancelled by request', async (q, ended) => {
      if (ended.kind === 'SYNC_RESOURCES') await restoreSyncState(q, ended.storageId);
    });
  }

  async get(id: string): Promise<TaskRow | null> {
    if (!isId(id)) return null;
    return (await getTask(this.deps.sql.q, id)) ?? null;
  }

  async list(args: { storageId?: string | null; status?: TaskStatus[] | null; first?: number | null; after?: string | null }) {
    const page = pageRequest(args.first, args.after);
    const storageId = args.storageId ? mustBeId(args.storageId, 'storageId') : null;
    const statuses = args.status?.length ? args.status.filter((s) => TASK_STATUSES.includes(s)) : null;
    // Newest first: what an operator looks for. The cursor keys on the id, which orders by creation.
    const { rows, count } = await listTasks(this.deps.sql.q, { storageId, statuses }, { beforeId: page.afterId, limit: page.limit });
    return toConnection(rows, page.limit, count);
  }
}
