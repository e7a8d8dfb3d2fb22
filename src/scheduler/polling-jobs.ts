// The repeating job of one storage's performance polling of one resource type, as both the api
// (updateMetricsConfig) and the scheduler's reconciliation write it.
import type { Agenda } from 'agenda';
import type { ResourceType } from '../drivers/driver.js';
import { COLLECT_PERFORMANCE_JOB, type CollectPerformanceData } from './jobs.js';

/** Creates or moves the job; returns its next run. The first poll is one interval away. */
export async function savePollingJob(agenda: Agenda, storageId: string, resourceType: ResourceType, intervalSeconds: number): Promise<Date | null> {
  const job = agenda
    .create<CollectPerformanceData>(COLLECT_PERFORMANCE_JOB, { storageId, resourceType })
    .unique({ 'data.storageId': storageId, 'data.resourceType': resourceType });
  job.repeatEvery(intervalSeconds * 1000, { skipImmediate: true });
  await job.save();
  return job.attrs.nextRunAt ?? null;
}

export function removePollingJob(agenda: Agenda, storageId: string, resourceType: ResourceType): Promise<number> {
  return agenda.cancel({ name: COLLECT_PERFORMANCE_JOB, data: { storageId, resourceType } });
}
