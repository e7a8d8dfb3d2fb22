// The seed's "RPC" side of the task manager: a task row is committed first, then published to
// JetStream (message id = task id), then announced as QUEUED. If the bus refuses the publish,
// the caller's undo runs and the user gets UNAVAILABLE: nothing is left half-created.
import type { TaskEventPublisher } from '../../bus/task-events.js';
import type { TaskQueue } from '../../bus/task-queue.js';
import type { Queryable, Sql } from '../../db/sql.js';
import { unavailable } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  deleteTasks, finish, insertOrCoalesce, recordBusSequences, stillPublishing, type NewTask, type TaskRow,
} from '../../db/stores/task-store.js';
import { logEndBeforeRun } from '../runtime/task-end-log.js';
import { crashPoint } from '../../lib/test-crash.js';

/** A task the bus refused, and why. */
export interface Refused {
  task: TaskRow;
  error: Error;
}

export class TaskEnqueuer {
  constructor(
    private readonly sql: Sql,
    private readonly queue: TaskQueue,
    private readonly events: TaskEventPublisher,
    /** Where a task cancelled before it ran is logged (none: not logged). */
    private readonly logger?: Logger,
  ) {}

  /** Inserts (or coalesces with an open task of the same storage and kind) inside `q`'s transaction. */
  insert(q: Queryable, task: NewTask): Promise<{ task: TaskRow; created: boolean }> {
    return insertOrCoalesce(q, task);
  }

  /**
   * Publishes a committed QUEUED task. On failure removes it, runs `undo` (which must remove
   * what the request created) in the same transaction, and throws UNAVAILABLE.
   */
  async publish(task: TaskRow, undo: (q: Queryable) => Promise<void>): Promise<void> {
    const [refused] = await this.publishAll([task], async (q) => {
      await deleteTasks(q, [task.id]);
      await undo(q);
    });
    if (refused) throw busUnavailable(refused.error);
  }

  /**
   * Publishes committed QUEUED tasks, many at once (pipelined: TaskQueue.publishMany). Each
   * QUEUED event goes out as soon as its task is on the stream, before any other round trip: a
   * worker may already run the task, and its STARTED (a newer version) arriving first would make
   * subscribers drop the QUEUED as stale. The bus sequences are recorded a batch at a time as the
   * acks come. For the tasks the bus refused,
   * `undo` runs in one transaction; they are returned with the reason.
   */
  async publishAll(tasks: TaskRow[], undo: (q: Queryable, refused: TaskRow[]) => Promise<void>, opts: { again?: boolean } = {}): Promise<Refused[]> {
    crashPoint('before-task-publish');
    // For removing a queued message early on cancel (a task whose sequence is missing is still
    // found ended by its worker) and for the relay's checks: a failure here undoes nothing. Written a batch at a
    // time while the rest is still being published (2 000 in one statement after the last ack
    // took 143 ms of a 933 ms answer).
    const recording: Array<Promise<void>> = [];
    let batch: Array<{ id: string; sequence: number }> = [];
    const record = () => {
      const b = batch;
      batch = [];
      recording.push(recordBusSequences(this.sql.q, b.map((p) => p.id), b.map((p) => p.sequence)).catch(() => undefined));
    };
    const results = await this.queue.publishMany(
      tasks.map((t) => ({ message: { taskId: t.id, kind: t.kind }, priority: t.priority, again: opts.again })),
      (i, sequence) => {
        this.events.publish('QUEUED', tasks[i]!);
        batch.push({ id: tasks[i]!.id, sequence });
        if (batch.length >= SEQUENCE_BATCH) record();
      },
    );
    if (batch.length > 0) record();
    // A request of one batch waits for its sequences (one statement). A larger one answers once
    // every task is on the stream: its last batches are still being written then (a 10 000-sync
    // answer waited 0.3 s for them), and a task missing its sequence meanwhile is only waited
    // for by a request that finds it open (untilPublished), as while it was being published.
    if (tasks.length <= SEQUENCE_BATCH) await Promise.all(recording);
    const refused: Refused[] = [];
    results.forEach((r, i) => {
      if (r instanceof Error) refused.push({ task: tasks[i]!, error: r });
    });
    if (refused.length > 0) await this.sql.tx((q) => undo(q, refused.map((r) => r.task)));
    return refused;
  }

  /**
   * Open tasks found for a request (rule 2: a sync already queued is returned, not a new one)
   * that another request is still publishing: waits until each is on the bus or gone, so that no
   * answer names a task the bus then refuses and its maker deletes. Returns the ids gone. A task
   * still unpublished at the deadline (its maker died) is kept: the stranded-task relay sends it.
   */
  async untilPublished(tasks: TaskRow[]): Promise<Set<string>> {
    const gone = new Set<string>();
    let waiting = tasks.filter((t) => t.status === 'QUEUED' && t.busSequence == null).map((t) => t.id);
    const deadline = Date.now() + this.queue.publishDeadlineMs;
    while (waiting.length > 0 && Date.now() < deadline) {
      const now = await stillPublishing(this.sql.q, waiting);
      for (const id of now.gone) gone.add(id);
      waiting = [...now.pending];
      if (waiting.length > 0) await new Promise((r) => setTimeout(r, 50));
    }
    return gone;
  }

  /**
   * Publishes tasks committed QUEUED whose maker died before publishing them (the stranded-task
   * relay). The message id keeps a task once on the stream if it was there after all; what the
   * bus refuses now stays QUEUED for the relay's next round. Returns how many went out.
   * `again`: their messages were on the stream and the bus lost them; each new one gets a
   * message id of its own (the lost one's may still be in the duplicate window).
   */
  async republish(tasks: TaskRow[], opts: { again?: boolean } = {}): Promise<number> {
    const refused = await this.publishAll(tasks, async () => undefined, opts);
    return tasks.length - refused.length;
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
      const row = await finish(q, id, { status: 'CANCELLED', message: reason }, { from: ['QUEUED', 'SCHEDULED'] });
      if (row) await alsoChange(q, row);
      return row;
    });
    // Removing the message is only a shortcut (its worker finds the task ended and acks it), so
    // a bus that does not answer now (a failover) does not fail the cancel that committed.
    if (ended?.busSequence) {
      await this.queue.remove(ended.busSequence).catch((err: Error) =>
        this.logger?.warn({ taskId: ended.id, err: err.message }, 'the cancelled task\'s message stays on the stream; its worker will drop it'));
    }
    if (ended && this.logger) await logEndBeforeRun(this.sql.q, this.logger, ended);
    return ended;
  }

  announce(type: 'CANCELLED' | 'PROGRESS' | 'SCHEDULED', task: TaskRow): void {
    this.events.publish(type, task);
  }
}

/** What a user is told when the bus refused a task: nothing changed, try again. */
export function busUnavailable(err: Error): Error {
  return unavailable(`The task bus (NATS JetStream) is unavailable, so nothing was changed; try again (${busReason(err)}).`);
}

/**
 * Why a publish was refused, in words an operator can act on. "No responders" on a publish
 * (the client calls it "jetstream is not enabled") means no stream took the subject: JetStream
 * off, or a stream leader that stopped taking messages (nats-server 2.9 after a full disk).
 */
function busReason(err: Error): string {
  if (err.name !== 'JetStreamNotEnabled') return err.message;
  return 'no stream took the message: JetStream is off on the server, or the task stream\'s leader node stopped taking messages and needs a restart';
}

/** Bus sequences recorded per statement while a large publish goes on. */
const SEQUENCE_BATCH = 1000;
