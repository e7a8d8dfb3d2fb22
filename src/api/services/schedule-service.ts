// Schedules as users see them: a storage's periodic sync (setSyncSchedule, Storage.syncSchedule)
// and syncs at a later time (SCHEDULED tasks). They live in PostgreSQL alone (sync_schedule, and
// the task table); the api writes them there and tells the scheduler, whose reconciler makes
// Agenda's jobs agree. No job store here: the api takes schedules while MongoDB is away.
import { MAX_INTERVAL_SECONDS } from '../../config.js';
import type { TaskPriority } from '../../db/entities/enums.js';
import type { Queryable, Sql } from '../../db/sql.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { isId } from '../../lib/ids.js';
import type { Logger } from '../../logger.js';
import { cronProblem, nextCronRun } from '../../lib/cron.js';
import type { Repeat } from '../../scheduler/jobs.js';
import type { ScheduleNotice } from '../../bus/schedule-notice.js';
import { deleteSchedule, getSchedules, upsertSchedule, type SyncScheduleRow } from '../../db/stores/sync-schedule-store.js';
import type { TaskEnqueuer } from '../../tasks/queueing/enqueue.js';
import type { TaskRow } from '../../db/stores/task-store.js';
import type { SyncScheduleInput } from '../types/sync-schedule.js';
import { deletingOf } from '../../db/stores/storage-store.js';

export interface ScheduleServiceDeps {
  sql: Sql;
  enqueuer: TaskEnqueuer;
  notice: ScheduleNotice;
  minIntervalSeconds: number;
  defaultSync?: Repeat;
  logger: Logger;
}

export class ScheduleService {
  constructor(private readonly deps: ScheduleServiceDeps) {}

  /** Creates, changes or disables a storage's periodic sync. Bad input changes nothing. */
  async setSyncSchedule(storageId: string, input: SyncScheduleInput): Promise<SyncScheduleRow> {
    const given = this.checkRepeat(input);
    await this.mustBeSchedulable(storageId);
    const repeat = given ?? (await this.currentRepeat(storageId, input.enabled));
    const row = await writeSchedule(this.deps.sql.q, storageId, repeat, input.enabled);
    if (!row) throw notFound('storage', storageId); // deleted meanwhile: delete wins
    await this.changed([storageId]);
    // The next run as the scheduler set it, when it answered in time.
    return (await getSchedules(this.deps.sql.q, [storageId]))[0] ?? row;
  }

  /** The policy's default schedule for a storage being registered, in the registration's transaction. */
  async applyDefault(q: Queryable, storageId: string): Promise<void> {
    const d = this.deps.defaultSync;
    if (d) await writeSchedule(q, storageId, d, true);
  }

  /** Tells the scheduler that these storages' schedules changed (after the change committed). */
  changed(storageIds: readonly string[], opts?: { wait?: boolean }): Promise<void> {
    return this.deps.notice.changed(storageIds, opts);
  }

  /** A sync at `runAt`: a SCHEDULED task (its priority kept), which the scheduler queues then. */
  async scheduleSync(storageId: string, priority: TaskPriority, runAt: Date, announce = true): Promise<TaskRow> {
    const { task } = await this.insertScheduled(this.deps.sql.q, storageId, priority, runAt);
    await this.changed([storageId]);
    if (announce) this.deps.enqueuer.announce('SCHEDULED', task);
    return task;
  }

  /** A sync of each storage at `runAt`, all in one transaction. */
  async scheduleSyncs(storageIds: string[], priority: TaskPriority, runAt: Date): Promise<TaskRow[]> {
    const made = await this.deps.sql.tx(async (q) => {
      const tasks: TaskRow[] = [];
      for (const id of storageIds) tasks.push((await this.insertScheduled(q, id, priority, runAt)).task);
      return tasks;
    });
    await this.changed(storageIds);
    for (const task of made) this.deps.enqueuer.announce('SCHEDULED', task);
    return made;
  }

  /** A SCHEDULED task was cancelled: its job leaves the scheduler (if it stayed, it would find the task ended). */
  async forgetTask(taskId: string): Promise<void> {
    const [task] = await this.deps.sql.query('select storage_id from task where id = $1', [taskId]);
    if (task) await this.changed([task.storage_id as string]);
  }

  /**
   * A storage is being deleted (rule 4): its periodic sync goes, and the scheduler removes every
   * job of it (periodic sync, delayed syncs, performance polling): a storage being deleted wants none.
   */
  async removeStorage(storageId: string): Promise<void> {
    await deleteSchedule(this.deps.sql.q, storageId);
    await this.changed([storageId]);
  }

  private insertScheduled(q: Queryable, storageId: string, priority: TaskPriority, runAt: Date) {
    return this.deps.enqueuer.insert(q, {
      kind: 'SYNC_RESOURCES',
      storageId,
      priority,
      status: 'SCHEDULED',
      scheduledFor: runAt,
      message: `scheduled for ${runAt.toISOString()}`,
    });
  }

  async schedulesOf(storageIds: readonly string[]): Promise<(SyncScheduleRow | null)[]> {
    const rows = await getSchedules(this.deps.sql.q, storageIds);
    const byId = new Map(rows.map((r) => [r.storageId, r]));
    return storageIds.map((id) => byId.get(id) ?? null);
  }

  /** The repeat the input gives (undefined: none given), or BAD_USER_INPUT naming the field. */
  checkRepeat(input: SyncScheduleInput): Repeat | undefined {
    const { intervalSeconds, cron } = input;
    const hasInterval = intervalSeconds !== null && intervalSeconds !== undefined;
    const hasCron = cron !== null && cron !== undefined;
    if (hasInterval && hasCron) throw badInput('Give either intervalSeconds or cron, not both.', 'cron');
    const min = this.deps.minIntervalSeconds;
    if (hasInterval) {
      if (intervalSeconds < min || intervalSeconds > MAX_INTERVAL_SECONDS) {
        throw badInput(`intervalSeconds must be between ${min} (the minimum interval) and ${MAX_INTERVAL_SECONDS}; got ${intervalSeconds}.`, 'intervalSeconds');
      }
      return { intervalSeconds };
    }
    if (hasCron) {
      const problem = cronProblem(cron, min);
      if (problem) throw badInput(`Invalid cron: ${problem}.`, 'cron');
      return { cron: cron.trim() };
    }
    return undefined;
  }

  /** Neither given: only disabling may keep the schedule the storage has. */
  private async currentRepeat(storageId: string, enabled: boolean): Promise<Repeat> {
    const [current] = await getSchedules(this.deps.sql.q, [storageId]);
    if (!enabled && current) return current.cron !== null ? { cron: current.cron } : { intervalSeconds: current.intervalSeconds! };
    throw badInput('Give intervalSeconds or cron: how often the storage is synced.', 'intervalSeconds');
  }

  private async mustBeSchedulable(storageId: string): Promise<void> {
    const deleting = isId(storageId) ? await deletingOf(this.deps.sql.q, storageId) : undefined;
    if (deleting === undefined) throw notFound('storage', storageId);
    if (deleting) throw conflict(`The storage ${storageId} is being deleted; it cannot be scheduled.`);
  }
}


/**
 * Writes a storage's schedule (undefined when the storage is gone). Its next run is computed as
 * the scheduler will set it (one interval, or the next cron time, from now); the scheduler
 * writes the exact one when it applies the schedule.
 */
function writeSchedule(q: Queryable, storageId: string, repeat: Repeat, enabled: boolean): Promise<SyncScheduleRow | undefined> {
  const now = new Date();
  const next = repeat.cron !== undefined ? nextCronRun(repeat.cron, now) : new Date(now.getTime() + repeat.intervalSeconds * 1000);
  return upsertSchedule(q, {
    storageId,
    enabled,
    intervalSeconds: repeat.intervalSeconds ?? null,
    cron: repeat.cron ?? null,
    nextRunAt: enabled ? next : null,
  });
}
