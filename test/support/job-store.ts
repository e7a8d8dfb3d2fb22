// Reads the scheduler's job store directly (through Agenda, as the scheduler does), to assert
// on jobs the API does not show.
import type { JobWithState } from 'agenda';
import { openAgenda, type OpenAgenda } from '../../src/scheduler/agenda.js';
import type { JobStore } from '../../src/scheduler/job-store.js';

export class JobStoreProbe {
  private constructor(private readonly opened: OpenAgenda) {}

  static async open(store: JobStore): Promise<JobStoreProbe> {
    return new JobStoreProbe(await openAgenda(store, { name: 'test-probe' }));
  }

  /** Every job whose data names the storage (its periodic sync and delayed syncs). */
  async jobsOf(storageId: string): Promise<JobWithState[]> {
    return (await this.opened.agenda.queryJobs({ data: { storageId } })).jobs;
  }

  async jobsOfTask(taskId: string): Promise<JobWithState[]> {
    return (await this.opened.agenda.queryJobs({ data: { taskId } })).jobs;
  }

  async close(): Promise<void> {
    await this.opened.close();
  }
}
