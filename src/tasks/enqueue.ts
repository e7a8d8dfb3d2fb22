// The seed's "RPC" side of the task manager: a task row is committed first, then published to
// JetStream (message id = task id), then announced as QUEUED. If the bus refuses the publish,
// the caller undoes the row and the user gets UNAVAILABLE: nothing is left half-created.
import type { TaskEventPublisher } from '../bus/task-events.js';
import type { TaskQueue } from '../bus/task-queue.js';
import type { Queryable, Sql } from '../db/sql.js';
import { unavailable } from '../errors.js';
import { insertOrCoalesce, type NewTask, type TaskRow } from './task-store.js';

export class TaskEnqueuer {
  constructor(
    private readonly sql: Sql,
    private readonly queue: TaskQueue,
    private readonly events: TaskEventPublisher,
  ) {}

  /** Inserts (or coalesces with an open task of the same storage and kind) inside `q`'s transaction. */
  insert(q: Queryable, task: NewTask): Promise<{ task: TaskRow; created: boolean }> {
    return insertOrCoalesce(q, task);
  }

  /**
   * Publishes a committed QUEUED task. On failure runs `undo` (which must remove what the
   * request created) and throws UNAVAILABLE.
   */
  async publish(task: TaskRow, undo: (q: Queryable) => Promise<void>): Promise<void> {
    try {
      await this.queue.publish({ taskId: task.id, kind: task.kind }, task.priority);
    } catch (err) {
      await this.sql.tx(async (q) => {
        await q.query('delete from task where id = $1', [task.id]);
        await undo(q);
      });
      throw unavailable(`The task bus (NATS JetStream) is unavailable, so nothing was changed; try again (${(err as Error).message}).`);
    }
    this.events.publish('QUEUED', task);
  }
}
