// The seed's "RPC" side of the task manager: a task row is committed first, then published to
// JetStream (message id = task id), then announced as QUEUED. If the bus refuses the publish,
// the caller undoes the row and the user gets UNAVAILABLE: nothing is left half-created.
import type { TaskEventPublisher } from '../bus/task-events.js';
import type { TaskQueue } from '../bus/task-queue.js';
import type { Queryable, Sql } from '../db/sql.js';
import { unavailable } from '../errors.js';
import { backToScheduled, deleteTasks, finish, insertOrCoalesce, recordBusSequence, type NewTask, type TaskRow } from '../db/stores/task-store.js';

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
    await this.publishOr(task, async (q) => {
      await deleteTasks(q, [task.id]);
      await undo(q);
    });
  }

  /**
   * Publishes a SCHEDULED task that came due and was moved to QUEUED. If the bus refuses, the
   * task goes back to SCHEDULED (and `undo` runs), so the scheduler can try again.
   */
  async publishDue(task: TaskRow, undo: (q: Queryable) => Promise<void>): Promise<void> {
    await this.publishOr(task, async (q) => {
      await backToScheduled(q, task.id);
      await undo(q);
    });
  }

  private async publishOr(task: TaskRow, undo: (q: Queryable) => Promise<void>): Promise<void> {
    try {
      const sequence = await this.queue.publish({ taskId: task.id, kind: task.kind }, task.priority);
      // At once, before any other round trip: a woken worker may already be starting the task,
      // and its STARTED (a newer version) arriving first would make subscribers drop this as stale.
      this.events.publish('QUEUED', task);
      await recordBusSequence(this.sql.q, task.id, sequence);
    } catch (err) {
      await this.sql.tx(undo);
      throw unavailable(`The task bus (NATS JetStream) is unavailable, so nothing was changed; try again (${(err as Error).message}).`);
    }
  }

  /** Publishes many committed tasks at once; those the bus refused are undone and returned. */
  async publishMany(tasks: TaskRow[], undo: (q: Queryable, refused: TaskRow[]) => Promise<void>): Promise<TaskRow[]> {
    const refused: TaskRow[] = [];
    for (let i = 0; i < tasks.length; i += PUBLISH_CHUNK) {
      const chunk = tasks.slice(i, i + PUBLISH_CHUNK);
      // Each QUEUED event goes out as soon as its task is on the stream, not after the whole
      // chunk: a worker may already run the task, and its STARTED (a newer version) arriving
      // first would make subscribers drop the QUEUED as stale.
      const results = await Promise.allSettled(
        chunk.map((t) => this.queue.publish({ taskId: t.id, kind: t.kind }, t.priority).then(() => this.events.publish('QUEUED', t))),
      );
      results.forEach((r, j) => r.status === 'rejected' && refused.push(chunk[j]!));
    }
    if (refused.length > 0) {
      await this.sql.tx(async (q) => {
        await deleteTasks(q, refused.map((t) => t.id));
        await undo(q, refused);
      });
    }
    return refused;
  }

  /**
   * A QUEUED (or SCHEDULED) task ends CANCELLED, with the rows `alsoChange` writes in the same
   * transaction, and its message leaves the stream: it never runs.
   */
  async cancelQueued(
    id: string,
    reason: string,
    alsoChange: (q: Queryable, ended: TaskRow) => Promise<void> = async () => undefined,
  ): Promise<TaskRow | undefined> {
    const ended = await this.sql.tx(async (q) => {
      const row = await finish(q, id, { status: 'CANCELLED', message: reason }, ['QUEUED', 'SCHEDULED']);
      if (row) await alsoChange(q, row);
      return row;
    });
    if (ended?.busSequence) await this.queue.remove(ended.busSequence);
    return ended;
  }

  announce(type: 'CANCELLED' | 'PROGRESS' | 'SCHEDULED', task: TaskRow): void {
    this.events.publish(type, task);
  }
}

/** Publishes in flight at once: enough to queue a thousand tasks in well under a second. */
const PUBLISH_CHUNK = 200;
