// What a running task sees: its row, the database, its device, and two duties: report progress
// (persisted, then published as a PROGRESS event) and stop at checkpoints when asked to.
import type { Logger } from '../logger.js';
import type { Sql, TxClient } from '../db/sql.js';
import type { TaskEventPublisher } from '../bus/task-events.js';
import type { Policy } from '../config.js';
import type { DeviceOpener } from './open-device.js';
import { shouldStop, updateProgress, type ProgressPatch, type TaskRow } from './task-store.js';
import { TaskStopped } from './task-stopped.js';

export interface TaskServices {
  sql: Sql;
  devices: DeviceOpener;
  events: TaskEventPublisher;
  policy: Policy;
  logger: Logger;
}

export class TaskContext {
  constructor(
    public task: TaskRow,
    readonly services: TaskServices,
    /** Aborted when the worker is shutting down or has lost the storage's lease. */
    readonly signal: AbortSignal,
    private readonly stopsWhenStorageDeleted: boolean,
  ) {}

  get sql(): Sql {
    return this.services.sql;
  }

  get storageId(): string {
    return this.task.storageId;
  }

  /** Persists progress and publishes it; a task that was ended meanwhile stops here. */
  async progress(patch: ProgressPatch): Promise<void> {
    await this.step(async () => patch);
  }

  /**
   * One step of work and its progress in one transaction: the step's writes and the counts it
   * reports commit together (so SyncStats stay exact across crashes), or not at all (a task
   * cancelled meanwhile rolls its last step back). The PROGRESS event follows the commit. Steps
   * need not wait for the disk: losing the last ones in a database crash loses them whole, and
   * the task's durable end (which flushes everything before it) comes only after them.
   */
  async step(work: (q: TxClient) => Promise<ProgressPatch>): Promise<void> {
    const updated = await this.sql.tx(async (q) => {
      const patch = await work(q);
      const row = await updateProgress(q, this.task.id, patch);
      if (!row) throw new TaskStopped('the task was ended elsewhere', 'cancel');
      return row;
    }, { durable: false });
    this.task = updated;
    this.services.events.publish('PROGRESS', updated);
  }

  /** Between steps: stops the task if it was cancelled, its storage is going, or the worker stops. */
  async checkpoint(): Promise<void> {
    if (this.signal.aborted) throw new TaskStopped(String(this.signal.reason ?? 'the worker is stopping'), 'handback');
    const reason = await shouldStop(this.sql.q, this.task.id);
    if (!reason) return;
    if (reason === 'the storage is being deleted' && !this.stopsWhenStorageDeleted) return;
    throw new TaskStopped(reason, 'cancel');
  }
}
