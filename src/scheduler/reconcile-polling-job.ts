// `reconcile-polling`: PostgreSQL's metrics_config says what is polled; the job store holds the
// repeating jobs that poll. They agree after every updateMetricsConfig, but a registration made
// while the job store was down, or an api that died between the two writes, leaves them apart.
// This job (one, repeating; Agenda runs it on one scheduler) brings the jobs back in line.
import type { Agenda, Job } from 'agenda';
import type { ResourceType } from '../drivers/driver.js';
import { COLLECT_PERFORMANCE_JOB, type CollectPerformanceData } from './jobs.js';
import { removePollingJob, savePollingJob } from './polling-jobs.js';
import type { JobDeps } from './sync-storage-job.js';

/** Runs every minute; the first run at the scheduler's start. */
export const RECONCILE_POLLING_JOB = 'reconcile-polling';
export const RECONCILE_EVERY_MS = 60_000;

const key = (storageId: string, type: string) => `${storageId}|${type}`;

/** Every enabled polling of a storage not being deleted, with its interval. */
async function wantedPollings(d: JobDeps): Promise<Map<string, { storageId: string; type: ResourceType; interval: number }>> {
  const rows = await d.sql.query(
    `select c.storage_id, p.type, p.interval from metrics_config c join storage s on s.id = c.storage_id and not s.deleting,
     lateral (values ('STORAGE', c.array_perf_collection, c.array_interval), ('STORAGE_POOL', c.pool_perf_collection, c.pool_interval),
                     ('VOLUME', c.volume_perf_collection, c.volume_interval)) as p(type, enabled, interval)
     where p.enabled`,
  );
  return new Map(rows.map((r) => [key(r.storage_id as string, r.type as string), { storageId: r.storage_id as string, type: r.type as ResourceType, interval: Number(r.interval) }]));
}

export function reconcilePollingJob(d: JobDeps) {
  return (job: Job): Promise<void> => reconcilePolling(job.agenda, d);
}

/** Creates the missing jobs, moves those at another interval, removes those no config wants. */
export async function reconcilePolling(agenda: Agenda, d: JobDeps): Promise<void> {
  const wanted = await wantedPollings(d);
  const { jobs } = await agenda.queryJobs({ name: COLLECT_PERFORMANCE_JOB });
  let created = 0;
  let removed = 0;
  for (const j of jobs) {
    const data = j.data as CollectPerformanceData;
    const want = wanted.get(key(data.storageId, data.resourceType));
    if (want && Number(j.repeatInterval) === want.interval * 1000) {
      wanted.delete(key(data.storageId, data.resourceType));
    } else if (!want) {
      removed += await removePollingJob(agenda, data.storageId, data.resourceType);
    }
  }
  for (const w of wanted.values()) {
    await savePollingJob(agenda, w.storageId, w.type, w.interval);
    created++;
  }
  if (created || removed) d.logger.info({ created, removed }, 'performance polling jobs brought in line with the metrics-configs');
}
