// `sync-storage`: a storage's periodic sync came due. It queues a sync through the same path as
// syncStorage, so a tick while a sync is queued or running returns that one (rule 2) instead of
// queueing another, then records the run in the schedule mirror. A tick run again (a scheduler
// killed before recording the run, an expired lock, two jobs of one storage after the job store
// came back empty) has the same due time and gets the task it made: one task per tick.
import type { Job } from 'agenda';
import type { Sql } from '../db/sql.js';
import type { Logger } from '../logger.js';
import type { TaskEnqueuer } from '../tasks/queueing/enqueue.js';
import { requestSync } from '../tasks/queueing/request-sync.js';
import { deleteSchedule, recordRun } from '../db/stores/sync-schedule-store.js';
import type { SyncStorageData } from './jobs.js';
import { deletingOf } from '../db/stores/storage-store.js';

export interface JobDeps {
  sql: Sql;
  enqueuer: TaskEnqueuer;
  logger: Logger;
}

export function syncStorageJob(d: JobDeps) {
  return async (job: Job<SyncStorageData>): Promise<void> => {
    const { storageId } = job.attrs.data;
    d.logger.debug({ job: job.attrs.name, jobId: String(job.attrs._id), storageId }, 'scheduled job running');
    if ((await deletingOf(d.sql.q, storageId)) !== false) {
      // Delete wins (rule 4): a tick due before the reconciler removed the job does nothing.
      await job.agenda.cancel({ id: String(job.attrs._id) });
      await deleteSchedule(d.sql.q, storageId);
      d.logger.info({ storageId }, 'periodic sync of a deleted storage removed');
      return;
    }
    // PostgreSQL is what the api changed last: a tick Agenda had already picked up when the
    // schedule was disabled does not run.
    const schedule = (await d.sql.query('select enabled, next_run_at from sync_schedule where storage_id = $1', [storageId]))[0];
    if (schedule && !schedule.enabled) return;
    const ranAt = job.attrs.lastRunAt ?? new Date();
    const due = dueTime(schedule?.next_run_at as Date | null | undefined, ranAt);
    const { task, created } = await requestSync(d.sql, d.enqueuer, storageId, 'NORMAL', 'periodic sync', due);
    await recordRun(d.sql.q, storageId, ranAt, job.attrs.nextRunAt ?? null);
    d.logger.debug({ storageId, taskId: task.id, created }, created ? 'periodic sync queued' : 'periodic sync coalesced with the open sync or the task this tick made');
  };
}

/**
 * When this tick was due. Agenda replaces the job's nextRunAt with the following run before the
 * job runs, so the due time is the one the mirror recorded (at the previous run, or when the
 * schedule was set); a mirror time still to come (the schedule changed meanwhile) gives the run's start.
 */
function dueTime(mirrored: Date | null | undefined, ranAt: Date): Date {
  return mirrored && mirrored.getTime() <= ranAt.getTime() ? mirrored : ranAt;
}
