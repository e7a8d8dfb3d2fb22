// `run-task`: a SCHEDULED task came due. It is queued through the one queueing path
// (src/tasks/request-sync.ts: SCHEDULED → QUEUED and the storage SYNCING in one transaction,
// then published); if the storage already has a sync queued or running, the scheduled one ends
// CANCELLED naming it (rule 2). A task no longer SCHEDULED (cancelled, or its storage deleted)
// is left as it is.
import type { Job } from 'agenda';
import { finish, findOpen, getTask } from '../db/stores/task-store.js';
import { queueDueSync } from '../tasks/queueing/request-sync.js';
import { logEndBeforeRun } from '../tasks/runtime/task-end-log.js';
import type { RunTaskData } from './jobs.js';
import type { JobDeps } from './sync-storage-job.js';

export function runTaskJob(d: JobDeps) {
  return async (job: Job<RunTaskData>): Promise<void> => {
    const { taskId } = job.attrs.data;
    d.logger.debug({ job: job.attrs.name, jobId: String(job.attrs._id), taskId, storageId: job.attrs.data.storageId }, 'scheduled job running');
    const task = await getTask(d.sql.q, taskId);
    if (!task || task.status !== 'SCHEDULED') return;
    if (await queueDueSync(d.sql, d.enqueuer, taskId)) {
      d.logger.debug({ taskId, storageId: task.storageId }, 'scheduled task queued');
      return;
    }
    const open = await findOpen(d.sql.q, task.storageId, task.kind);
    const reason = open
      ? `not run: a sync of this storage was already ${open.status.toLowerCase()} (task ${open.id})`
      : 'not run: the storage is being deleted';
    const ended = await finish(d.sql.q, taskId, { status: 'CANCELLED', message: reason }, { from: ['SCHEDULED'] });
    if (ended) d.enqueuer.announce('CANCELLED', ended);
    if (ended) await logEndBeforeRun(d.sql.q, d.logger, ended);
  };
}
