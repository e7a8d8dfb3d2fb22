// Schedules as users see them: a storage's periodic sync (setSyncSchedule, Storage.syncSchedule)
// and syncs at a later time (SCHEDULED tasks). The jobs live in the scheduler's store (through
// the schedule client); sync_schedule mirrors them for queries.
import { MAX_INTERVAL_SECONDS } from '../../config.js';
import type { TaskPriority } from '../../db/entities/enums.js';
import type { Sql } from '../../db/sql.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { isId } from '../../lib/ids.js';
import type { Logger } from '../../logger.js';
import { cronProblem } from '../../scheduler/cron.js';
import type { Repeat } from '../../scheduler/jobs.js';
import type { ScheduleClient } from '../../scheduler/schedule-client.js';
import { deleteSchedule, getSchedules, upsertSchedule, type SyncScheduleRow } from '../../scheduler/schedule-mirror.js';
import type { TaskEnqueuer } from '../../tasks/enqueue.js';
import type { TaskRow } from '../../tasks/task-store.js';
import type { SyncScheduleInput } from '../types/sync-schedule.js';

export interface ScheduleServiceDeps {
  sql: Sql;
  enqueuer: TaskEnqueuer;
  client: ScheduleClient;
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
    const nextRunAt = await this.deps.client.setSyncSchedule(storageId, repeat, input.enabled);
    const row = await upsertSchedule(this.deps.sql.q, {
      storageId,
      enabled: input.enabled,
      intervalSeconds: repeat.intervalSeconds ?? null,
      cron: repeat.cron ?? null,
      nextRunAt,
    });
    if (!row) {
      // Deleted meanwhile: delete wins, the job goes too.
      await this.deps.client.removeStorage(storageId);
      throw notFound('storage', storageId);
    }
    return row;
  }

  /** The policy's default schedule for a storage just registered; a store that fails only warns. */
  async applyDefault(storageId: string): Promise<void> {
    const d = this.deps.defaultSync;
    if (!d) return;
    await this.setSyncSchedule(storageId, { enabled: true, intervalSeconds: d.intervalSeconds ?? null, cron: d.cron ?? null }).catch((err: Error) =>
      this.deps.logger.warn({ storageId, err: err.message }, 'the default sync schedule could not be set; set it with setSyncSchedule'),
    );
  }

  /** A sync at `runAt`: a SCHEDULED task (its priority kept) and the job that queues it then. */
  async scheduleSync(storageId: string, priority: TaskPriority, runAt: Date, announce = true): Promise<TaskRow> {
    const { sql, enqueuer, client } = this.deps;
    const { task } = await enqueuer.insert(sql.q, {
      kind: 'SYNC_RESOURCES',
      storageId,
      priority,
      status: 'SCHEDULED',
      scheduledFor: runAt,
      message: `scheduled for ${runAt.toISOString()}`,
    });
    try {
      await client.scheduleTask(task.id, storageId, runAt);
    } catch (err) {
      await sql.query('delete from task where id = $1', [task.id]);
      throw err;
    }
    if (announce) enqueuer.announce('SCHEDULED', task);
    return task;
  }

  /** A sync of each storage at `runAt`; if the job store fails part-way, the ones made are undone. */
  async scheduleSyncs(storageIds: string[], priority: TaskPriority, runAt: Date): Promise<TaskRow[]> {
    const made: TaskRow[] = [];
    try {
      for (const id of storageIds) made.push(await this.scheduleSync(id, priority, runAt, false));
    } catch (err) {
      await this.deps.client.cancelTasks(made.map((t) => t.id)).catch(() => undefined);
      await this.deps.sql.query('delete from task where id = any($1::uuid[])', [made.map((t) => t.id)]);
      throw err;
    }
    for (const task of made) this.deps.enqueuer.announce('SCHEDULED', task);
    return made;
  }

  /** Removes the job of a cancelled SCHEDULED task. Its task already ended, so a job left behind finds nothing to run. */
  async forgetTask(taskId: string): Promise<void> {
    await this.deps.client.cancelTask(taskId).catch((err: Error) =>
      this.deps.logger.warn({ taskId, err: err.message }, 'the job of a cancelled task could not be removed; it will find the task ended'),
    );
  }

  /**
   * Removes every job of a storage being deleted (rule 4): periodic sync, delayed syncs and
   * performance polling. A store that fails only warns: the jobs remove themselves when they
   * find the storage gone.
   */
  async removeStorage(storageId: string): Promise<void> {
    await deleteSchedule(this.deps.sql.q, storageId);
    await this.deps.client.removeStorage(storageId).catch((err: Error) =>
      this.deps.logger.warn({ storageId, err: err.message }, 'the jobs of a deleted storage could not be removed now; they go when they come due'),
    );
  }

  async schedulesOf(storageIds: readonly string[]): Promise<(SyncScheduleRow | null)[]> {
    const rows = await getSchedules(this.deps.sql.q, storageIds);
    const byId = new Map(rows.map((r) => [r.storageId, r]));
    return storageIds.map((id) => byId.get(id) ?? null);
  }

  /** The repeat the input gives (undefined: none given), or BAD_USER_INPUT naming the field. */
  private checkRepeat(input: SyncScheduleInput): Repeat | undefined {
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
    const storage = isId(storageId) ? (await this.deps.sql.query('select deleting from storage where id = $1', [storageId]))[0] : undefined;
    if (!storage) throw notFound('storage', storageId);
    if (storage.deleting) throw conflict(`The storage ${storageId} is being deleted; it cannot be scheduled.`);
  }
}

