// What the API does to the scheduler's jobs: create, change, disable and remove them. An Agenda
// that never processes (only the scheduler role runs jobs), opened at first use, so an api
// starts, and serves everything else, while the job store is down.
import type { Agenda } from 'agenda';
import { unavailable } from '../errors.js';
import { openAgenda, type OpenAgenda } from './agenda.js';
import type { JobStore } from './job-store.js';
import type { ResourceType } from '../drivers/driver.js';
import { repeatInterval, RUN_TASK_JOB, SYNC_STORAGE_JOB, type Repeat, type RunTaskData, type SyncStorageData } from './jobs.js';
import { removePollingJob, savePollingJob } from './polling-jobs.js';

export class ScheduleClient {
  private opening?: Promise<OpenAgenda>;

  constructor(
    readonly store: JobStore,
    private readonly name: string,
  ) {}

  /** Creates, changes or disables the storage's periodic sync; returns its next run (null when disabled). */
  async setSyncSchedule(storageId: string, repeat: Repeat, enabled: boolean): Promise<Date | null> {
    const agenda = await this.agenda();
    const job = agenda.create<SyncStorageData>(SYNC_STORAGE_JOB, { storageId }).unique({ 'data.storageId': storageId });
    // The first run is one interval (or the next cron time) from now: registration just synced.
    job.repeatEvery(repeatInterval(repeat), { skipImmediate: true });
    if (!enabled) job.disable();
    await this.call(() => job.save());
    return enabled ? (job.attrs.nextRunAt ?? null) : null;
  }

  /**
   * Starts, moves or stops a storage's performance polling of one resource type: a repeating job
   * every `intervalSeconds`, or none. Returns the next poll (null when stopped).
   */
  async setPolling(storageId: string, resourceType: ResourceType, intervalSeconds: number, enabled: boolean): Promise<Date | null> {
    const agenda = await this.agenda();
    if (!enabled) {
      await this.call(() => removePollingJob(agenda, storageId, resourceType));
      return null;
    }
    return this.call(() => savePollingJob(agenda, storageId, resourceType, intervalSeconds));
  }

  /** A one-time job that queues the SCHEDULED task at its time. */
  async scheduleTask(taskId: string, storageId: string, runAt: Date): Promise<void> {
    const agenda = await this.agenda();
    const job = agenda.create<RunTaskData>(RUN_TASK_JOB, { taskId, storageId }).unique({ 'data.taskId': taskId });
    job.schedule(runAt);
    await this.call(() => job.save());
  }

  async cancelTask(taskId: string): Promise<number> {
    const agenda = await this.agenda();
    return this.call(() => agenda.cancel({ name: RUN_TASK_JOB, data: { taskId } }));
  }

  /** One query per task: a data filter with operators is not portable across the two stores. */
  async cancelTasks(taskIds: string[]): Promise<number> {
    let removed = 0;
    for (const id of taskIds) removed += await this.cancelTask(id);
    return removed;
  }

  /** Every job of a storage: its periodic sync, its delayed syncs and its performance polling. */
  async removeStorage(storageId: string): Promise<number> {
    const agenda = await this.agenda();
    return this.call(() => agenda.cancel({ data: { storageId } }));
  }

  async close(): Promise<void> {
    const opened = await this.opening?.catch(() => undefined);
    this.opening = undefined;
    await opened?.close().catch(() => undefined);
  }

  private async agenda(): Promise<Agenda> {
    this.opening ??= openAgenda(this.store, { name: this.name }).catch((err: Error) => {
      this.opening = undefined; // the next request tries again
      throw err;
    });
    return (await this.call(() => this.opening!)).agenda;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw unavailable(
        `The scheduler's job store (${this.store.kind === 'mongodb' ? 'MongoDB' : 'PostgreSQL'}) did not answer, so nothing was changed; try again (${(err as Error).message}).`,
      );
    }
  }
}
