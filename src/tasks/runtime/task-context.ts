// What a running task sees: its row, the database, its device, and two duties: report progress
// (persisted, then published as a PROGRESS event) and stop at checkpoints when asked to.
import type { Logger } from '../../logger.js';
import type { Queryable, Sql, TxClient } from '../../db/sql.js';
import type { TaskEventPublisher } from '../../bus/task-events.js';
import type { Policy } from '../../config.js';
import type { DeviceOpener } from './open-device.js';
import type { MetricsDispatcher } from '../../exporters/dispatcher.js';
import type { InventoryPublisher } from '../../exporters/inventory-message.js';
import type { AlertPublisher } from '../../alerts/alert-publisher.js';
import { shouldStop, updateProgress, type ProgressPatch, type TaskRow } from '../../db/stores/task-store.js';
import { holdsLeaseStatement, leaseHeld, releaseHeld } from '../../db/stores/storage-lease.js';
import { TaskStopped } from './task-stopped.js';

export interface TaskServices {
  sql: Sql;
  devices: DeviceOpener;
  events: TaskEventPublisher;
  policy: Policy;
  logger: Logger;
  /** Where performance samples go (none when every exporter is off). */
  metrics?: MetricsDispatcher;
  /** Where a sync's inventory message goes (none when the NATS exporter is off). */
  inventory?: InventoryPublisher;
  /** Where alerts read from devices are announced (NATS `<namespace>.alerts.<storageId>`). */
  alerts?: AlertPublisher;
}

export class TaskContext {
  constructor(
    public task: TaskRow,
    readonly services: TaskServices,
    /** Aborted when the worker is shutting down or has lost the storage's lease. */
    readonly signal: AbortSignal,
    private readonly stopsWhenStorageDeleted: boolean,
    /** The storage's name when the task started: its end is logged with it. */
    readonly storageName: string | null = null,
    /** The storage lease the run holds (kinds that take one): every step checks it before committing. */
    readonly leaseHolder?: string,
  ) {}

  get sql(): Sql {
    return this.services.sql;
  }

  get storageId(): string {
    return this.task.storageId;
  }

  /** Progress reports written in order behind one another, for `progressLater`. */
  private reports: Promise<void> = Promise.resolve();
  /** The report waiting behind the one being written, if any. */
  private waiting?: ProgressPatch;

  /**
   * Progress that the task need not wait for: written in order, behind the earlier reports,
   * while the task goes on. When the database falls behind (a report is already waiting), the
   * new one replaces what that one says instead of queueing: at most one write is in flight
   * and one waits, so a fast listing never ends waiting for a backlog of stale reports. A stop
   * a report finds surfaces at the next step, `settle()` or end.
   */
  progressLater(patch: ProgressPatch): void {
    if (this.waiting) {
      Object.assign(this.waiting, patch);
      return;
    }
    const report = { ...patch };
    this.waiting = report;
    this.reports = this.reports.then(() => {
      if (this.waiting === report) this.waiting = undefined;
      return this.progress(report);
    });
    this.reports.catch(() => undefined); // kept for the next await; not an unhandled rejection
  }

  /** Waits for the reports still being written (and throws what stopped one). */
  async settle(): Promise<void> {
    await this.reports;
  }

  /** Persists progress (one statement) and publishes it; a task cancelled or ended meanwhile stops here. */
  async progress(patch: ProgressPatch): Promise<void> {
    this.task = this.checked(await updateProgress(this.sql.relaxed, this.task.id, patch));
    this.services.events.publish('PROGRESS', this.task);
  }

  /**
   * One step of work and its progress in one transaction: the step's writes and the counts it
   * reports commit together (so SyncStats stay exact across crashes), or not at all (a task
   * cancelled meanwhile rolls its last step back). The PROGRESS event follows the commit. Steps
   * need not wait for the disk: losing the last ones in a database crash loses them whole, and
   * the task's durable end (which flushes everything before it) comes only after them.
   */
  async step(work: (q: TxClient) => Promise<ProgressPatch>): Promise<void> {
    await this.settle();
    // Fenced: a worker that lost its lease (paused past it) writes nothing, whatever its heartbeat
    // knows yet. The fence is read in the begin's round trip.
    const fence = this.leaseHolder ? holdsLeaseStatement(this.storageId, this.leaseHolder) : undefined;
    const updated = await this.sql.tx(async (q, opened) => {
      if (fence && !leaseHeld(opened)) throw new TaskStopped('the worker lost the storage lease', 'handback');
      const patch = await work(q);
      // A step that finds the task cancelled or its storage going is rolled back, whole.
      return this.checked(await updateProgress(q, this.task.id, patch));
    }, { durable: false, opening: fence });
    this.task = updated;
    this.services.events.publish('PROGRESS', updated);
  }

  /** The task row after a progress update, or the reason to stop. */
  private checked(row: (TaskRow & { storageDeleting: boolean }) | undefined): TaskRow {
    if (!row) throw new TaskStopped('the task was ended elsewhere', 'cancel');
    if (row.storageDeleting && this.stopsWhenStorageDeleted) throw new TaskStopped('the storage is being deleted', 'cancel');
    if (row.cancelRequested) throw new TaskStopped('cancelled by request', 'cancel');
    return row;
  }

  /** Stops the task here if the worker is stopping or lost the storage's lease (no database read). */
  throwIfHandedBack(): void {
    if (this.signal.aborted) throw new TaskStopped(String(this.signal.reason ?? 'the worker is stopping'), 'handback');
  }

  /**
   * In the task's end transaction: the same fence as a step's (the lease row stays locked until
   * the transaction ends), and the lease is released when that transaction commits (one
   * statement). Always true for kinds that take none.
   */
  releaseLease(q: Queryable): Promise<boolean> {
    return this.leaseHolder ? releaseHeld(q, this.storageId, this.leaseHolder) : Promise.resolve(true);
  }

  /** Between steps: stops the task if it was cancelled, its storage is going, or the worker stops. */
  async checkpoint(): Promise<void> {
    this.throwIfHandedBack();
    const reason = await shouldStop(this.sql.q, this.task.id);
    if (!reason) return;
    if (reason === 'the storage is being deleted' && !this.stopsWhenStorageDeleted) return;
    throw new TaskStopped(reason, 'cancel');
  }
}
