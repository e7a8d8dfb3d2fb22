// Each task kind is a small class: typed behaviour in `perform()`, declared options, and hooks
// for the storage's state. The worker holds the shared mechanics (lease, attempts, heartbeats,
// events, acks) once, in task-runner.ts.
import type { CollectionRecord, SyncStats, TaskKind } from '../../db/entities/index.js';
import type { TaskContext } from './task-context.js';
import type { Queryable } from '../../db/sql.js';
import type { StartProgress } from '../../db/stores/task-store.js';

export type EndStatus = 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface TaskOutcome {
  message?: string;
  stats?: SyncStats;
  collection?: CollectionRecord;
}

export interface TaskOptions {
  /** Deliveries before the task ends FAILED (the policy's worker.maxAttempts when absent). */
  maxAttempts?: number;
  /** Whether a storage being deleted stops this task (every kind but the removal itself). */
  stopsWhenStorageDeleted: boolean;
  /**
   * Whether the task holds the storage's lease (one at a time per storage: sync, removal).
   * Performance polls do not: they read the array while it syncs, one per resource type.
   */
  leased?: boolean;
}

export abstract class BaseTask {
  abstract readonly kind: TaskKind;
  readonly options: TaskOptions = { stopsWhenStorageDeleted: true };

  /** The progress a run starts with, written with RUNNING (no report of its own). */
  readonly startsWith?: StartProgress;

  abstract perform(ctx: TaskContext): Promise<TaskOutcome>;

  /**
   * Runs before perform(), in the transaction that takes the lease and marks the task RUNNING
   * (e.g. the storage's state becomes SYNCING). Its writes on `q` are sent with that
   * transaction's commit: `q` answers no rows.
   */
  async onStart(_q: Queryable, _ctx: TaskContext): Promise<void> {}

  /**
   * The rows the task's end changes besides the task itself (e.g. the storage's sync state),
   * written on `q`: with the commit of the end's transaction, so a crash leaves both or neither
   * (rule 8). `q` answers no rows.
   */
  async onEnd(_q: Queryable, _ctx: TaskContext, _status: EndStatus): Promise<void> {}

  /** After the end committed: effects outside the database (e.g. the exporters' series). */
  async afterEnd(_ctx: TaskContext, _status: EndStatus): Promise<void> {}
}

/** Which class performs a kind; undefined for a kind this worker does not know. */
export type TaskKinds = (kind: TaskKind) => BaseTask | undefined;
