// `run-task`: a SCHEDULED task came due. It moves to QUEUED and is published; if the storage
// already has a sync queued or running, the scheduled one ends CANCELLED naming it (rule 2). A
// task no longer SCHEDULED (cancelled, or its storage deleted) is left as it is.
import type { Job } from 'agenda';
import type { Queryable } from '../db/sql.js';
import { finish, findOpen, getTask, taskFromRow, type TaskRow } from '../tasks/task-store.js';
import { logEndBeforeRun } from '../tasks/task-end-log.js';
import type { RunTaskData } from './jobs.js';
import type { JobDeps } from './sync-storage-job.js';

const UNIQUE_VIOLATION = '23505';

export function runTaskJob(d: JobDeps) {
  return async (job: Job<RunTaskData>): Promise<void> => {
    const { taskId } = job.attrs.data;
    d.logger.debug({ job: job.attrs.name, jobId: String(job.attrs._id), taskId, storageId: job.attrs.data.storageId }, 'scheduled job running');
    const task = await getTask(d.sql.q, taskId);
    if (!task || task.status !== 'SCHEDULED') return;
    const due = await queueDue(d, task);
    if (due.queued) {
      await d.enqueuer.publishDue(due.queued, async (q) => {
        if (due.previous) await q.query('update storage set sync_state = $2 where id = $1', [task.storageId, due.previous]);
      });
      d.logger.debug({ taskId, storageId: task.storageId }, 'scheduled task queued');
      return;
    }
    const open = await findOpen(d.sql.q, task.storageId, task.kind);
    const reason = open
      ? `not run: a sync of this storage was already ${open.status.toLowerCase()} (task ${open.id})`
      : 'not run: the storage is being deleted';
    const ended = await finish(d.sql.q, taskId, { status: 'CANCELLED', message: reason }, ['SCHEDULED']);
    if (ended) d.enqueuer.announce('CANCELLED', ended);
    if (ended) await logEndBeforeRun(d.sql.q, d.logger, ended);
  };
}

/** SCHEDULED → QUEUED in one transaction, unless the storage has an open sync or is being deleted. */
async function queueDue(d: JobDeps, task: TaskRow): Promise<{ queued?: TaskRow; previous?: string }> {
  try {
    return await d.sql.tx(async (q) => {
      const storage = (await q.query('select deleting, sync_state from storage where id = $1 for update', [task.storageId])).rows[0];
      if (!storage || storage.deleting) return {};
      const queued = await toQueued(q, task.id);
      if (!queued) return {};
      await q.query(`update storage set sync_state = 'SYNCING', updated_at = now() where id = $1`, [task.storageId]);
      return { queued, previous: storage.sync_state as string };
    });
  } catch (err) {
    // The partial unique index of open syncs: one is already queued or running.
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) return {};
    throw err;
  }
}

async function toQueued(q: Queryable, id: string): Promise<TaskRow | undefined> {
  const { rows } = await q.query(
    `update task set status = 'QUEUED', message = 'due: queued', version = version + 1, updated_at = now()
     where id = $1 and status = 'SCHEDULED' returning *`,
    [id],
  );
  return rows[0] ? taskFromRow(rows[0]) : undefined;
}
