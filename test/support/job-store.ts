// Reads the scheduler's job store directly (through Agenda, as the scheduler does), to assert
// on jobs the API does not show.
import type { JobWithState } from 'agenda';
import { openAgenda, type OpenAgenda } from '../../src/scheduler/agenda.js';
import type { JobStore } from '../../src/scheduler/job-store.js';
import { COLLECT_PERFORMANCE_JOB } from '../../src/scheduler/jobs.js';

export class JobStoreProbe {
  private constructor(private readonly opened: OpenAgenda) {}

  static async open(store: JobStore): Promise<JobStoreProbe> {
    return new JobStoreProbe(await openAgenda(store, { name: 'test-probe' }));
  }

  /** Every job whose data names the storage (periodic sync, delayed syncs, performance polling). */
  async jobsOf(storageId: string): Promise<JobWithState[]> {
    return (await this.opened.agenda.queryJobs({ data: { storageId } })).jobs;
  }

  /** The storage's sync jobs only: its periodic sync and delayed syncs (not its performance polling). */
  async syncJobsOf(storageId: string): Promise<JobWithState[]> {
    return (await this.jobsOf(storageId)).filter((j) => j.name !== COLLECT_PERFORMANCE_JOB);
  }

  async jobsOfTask(taskId: string): Promise<JobWithState[]> {
    return (await this.opened.agenda.queryJobs({ data: { taskId } })).jobs;
  }

  /** Removes a storage's jobs of one name, as a lost write would leave the store. */
  async remove(name: string, storageId: string): Promise<number> {
    return this.opened.agenda.cancel({ name, data: { storageId } });
  }

  async close(): Promise<void> {
    await this.opened.close();
  }
}
