// `collect-performance`: a storage's performance poll of one resource type came due (one
// repeating job per storage and resource type, at the metrics-config's interval). It queues a
// COLLECT_PERFORMANCE task; a job whose storage is gone or whose collection was disabled
// removes itself.
import type { Job } from 'agenda';
import { getMetricsConfig, pollingOf } from '../db/stores/metrics-config-store.js';
import { requestCollection } from '../tasks/queueing/request-collection.js';
import type { CollectPerformanceData } from './jobs.js';
import type { JobDeps } from './sync-storage-job.js';

export function collectPerformanceJob(d: JobDeps) {
  return async (job: Job<CollectPerformanceData>): Promise<void> => {
    const { storageId, resourceType } = job.attrs.data;
    const config = await getMetricsConfig(d.sql.q, storageId);
    if (!config || !pollingOf(config, resourceType).perfCollection) {
      await job.agenda.cancel({ id: String(job.attrs._id) });
      d.logger.info({ storageId, resourceType }, 'performance polling of a deleted storage or a disabled resource type removed');
      return;
    }
    const r = await requestCollection(d.sql, d.enqueuer, storageId, resourceType);
    d.logger.debug({ storageId, resourceType, taskId: r?.task.id, created: r?.created }, r?.created ? 'performance poll queued' : 'performance poll coalesced');
  };
}
