// Each task kind is a small class: typed behaviour in `perform()`, declared options, and hooks
// for the storage's state. The worker holds the shared mechanics (lease, attempts, heartbeats,
// events, acks) once, in task-runner.ts.
import type { CollectionRecord, SyncStats, TaskKind } from '../db/entities/index.js';
import type { TaskContext } from './task-context.js';

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

  abstract perform(ctx: TaskContext): Promise<TaskOutcome>;

  /** Runs before perform(), after the lease is taken (e.g. the storage's state becomes SYNCING). */
  async onStart(_ctx: TaskContext): Promise<void> {}

  /** Runs after the task ended, whatever the end. */
  async onEnd(_ctx: TaskContext, _status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'): Promise<void> {}
}
