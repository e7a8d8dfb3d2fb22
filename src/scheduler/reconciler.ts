// Brings the job store in line with PostgreSQL (rule 8): what wanted-jobs reads is what the
// store must hold, one job per key; missing jobs are created, changed ones saved again, jobs
// nothing wants (a deleted storage, a disabled polling, a task no longer SCHEDULED) removed.
// Idempotent: running it twice, or in two schedulers at once, leaves the same jobs (a key
// found twice keeps one job; reconciles take turns through a PostgreSQL advisory lock, so the
// job kept and the next run mirrored to PostgreSQL are the same one). Jobs are read before PostgreSQL, so a one-time job that ran and
// left between the two reads is never made again for a task it already queued.
import type { Agenda, Job, JobWithState } from 'agenda';
import type { Queryable, Sql } from '../db/sql.js';
import type { Logger } from '../logger.js';
import {
  COLLECT_PERFORMANCE_JOB,
  repeatInterval,
  RUN_TASK_JOB,
  SYNC_STORAGE_JOB,
  type CollectPerformanceData,
  type RunTaskData,
  type SyncStorageData,
} from './jobs.js';
import { mirrorNextRun } from '../db/stores/sync-schedule-store.js';
import { wantedJobs, type StorageScope, type WantedPolling, type WantedRun, type WantedSync } from './wanted-jobs.js';

const NAMES = [SYNC_STORAGE_JOB, COLLECT_PERFORMANCE_JOB, RUN_TASK_JOB];
/** The advisory lock two schedulers' reconciles take turns on (any fixed 64-bit number). */
const RECONCILE_LOCK = 0x64656c66696e; // "delfin"

export interface Changes {
  saved: number;
  removed: number;
}

/** How one kind of job is keyed, compared and written. */
interface Kind<W> {
  name: string;
  keyOfJob(job: JobWithState): string;
  keyOf(wanted: W): string;
  inLine(job: JobWithState, wanted: W): boolean;
  save(agenda: Agenda, wanted: W): Promise<Job>;
}

export class Reconciler {
  constructor(
    private readonly agenda: Agenda,
    private readonly sql: Sql,
    private readonly logger: Logger,
  ) {}

  /** Every storage (null) or some. */
  async reconcile(scope: StorageScope): Promise<Changes> {
    // Two schedulers saving the same job at once would each mirror their own next run, and
    // the last mirror written need not be the job kept: one reconcile at a time.
    return this.sql.tx(async (lock) => {
      await lock.query('select pg_advisory_xact_lock($1)', [RECONCILE_LOCK]);
      return this.reconcileNow(lock, scope);
    });
  }

  /** Reads and writes PostgreSQL on `q`, the locking client (no second connection to wait for). */
  private async reconcileNow(q: Queryable, scope: StorageScope): Promise<Changes> {
    const jobs = await this.currentJobs(scope);
    const wanted = await wantedJobs(q, scope);
    const changes: Changes = { saved: 0, removed: 0 };
    await this.bringInLine(jobs, wanted.syncs, SYNCS, changes, (w, next) => mirrorNextRun(q, w.storageId, w.enabled ? next : null, w.version));
    await this.bringInLine(jobs, wanted.pollings, POLLINGS, changes);
    await this.bringInLine(jobs, wanted.runs, RUNS, changes);
    if (changes.saved || changes.removed) {
      this.logger.info({ ...changes, storages: scope ? scope.length : 'all' }, 'scheduler jobs brought in line with PostgreSQL');
    }
    return changes;
  }

  private async currentJobs(scope: StorageScope): Promise<JobWithState[]> {
    if (!scope) return (await this.agenda.queryJobs({ names: NAMES })).jobs;
    const found: JobWithState[] = [];
    for (const storageId of new Set(scope)) {
      const { jobs } = await this.agenda.queryJobs({ data: { storageId } });
      found.push(...jobs.filter((j) => NAMES.includes(j.name)));
    }
    return found;
  }

  private async bringInLine<W>(
    all: JobWithState[],
    wanted: W[],
    kind: Kind<W>,
    changes: Changes,
    /** Told the next run of the job kept for `w` when it was saved, or kept out of duplicates. */
    saved?: (w: W, nextRunAt: Date | null) => Promise<void>,
  ): Promise<void> {
    const have = new Map<string, JobWithState[]>();
    for (const job of all.filter((j) => j.name === kind.name)) {
      const key = kind.keyOfJob(job);
      have.set(key, [...(have.get(key) ?? []), job]);
    }
    for (const w of wanted) {
      const key = kind.keyOf(w);
      const jobs = have.get(key) ?? [];
      have.delete(key);
      const inLine = jobs.find((j) => kind.inLine(j, w));
      let keep = inLine?._id;
      if (keep === undefined) {
        const job = await kind.save(this.agenda, w);
        changes.saved++;
        keep = job.attrs._id;
        await saved?.(w, job.attrs.nextRunAt ?? null);
      } else if (jobs.length > 1) {
        // Two schedulers raced and each saved one: the mirror may show the one removed now.
        await saved?.(w, inLine!.nextRunAt ?? null);
      }
      changes.removed += await this.remove(jobs.filter((j) => String(j._id) !== String(keep)));
    }
    for (const jobs of have.values()) changes.removed += await this.remove(jobs);
  }

  private async remove(jobs: JobWithState[]): Promise<number> {
    if (jobs.length === 0) return 0;
    return this.agenda.cancel({ ids: jobs.map((j) => String(j._id)) });
  }
}

const SYNCS: Kind<WantedSync> = {
  name: SYNC_STORAGE_JOB,
  keyOfJob: (j) => (j.data as SyncStorageData).storageId,
  keyOf: (w) => w.storageId,
  inLine: (j, w) => (j.data as SyncStorageData).version === w.version,
  async save(agenda, w) {
    const job = agenda.create<SyncStorageData>(SYNC_STORAGE_JOB, { storageId: w.storageId, version: w.version }).unique({ 'data.storageId': w.storageId });
    // The first run is one interval (or the next cron time) from now: registration just synced.
    job.repeatEvery(repeatInterval(w.repeat), { skipImmediate: true });
    if (w.enabled) job.enable();
    else job.disable();
    return job.save();
  },
};

const POLLINGS: Kind<WantedPolling> = {
  name: COLLECT_PERFORMANCE_JOB,
  keyOfJob: (j) => pollingKey(j.data as CollectPerformanceData),
  keyOf: pollingKey,
  inLine: (j, w) => Number(j.repeatInterval) === w.intervalSeconds * 1000,
  async save(agenda, w) {
    const job = agenda
      .create<CollectPerformanceData>(COLLECT_PERFORMANCE_JOB, { storageId: w.storageId, resourceType: w.resourceType })
      .unique({ 'data.storageId': w.storageId, 'data.resourceType': w.resourceType });
    // The first poll is one interval away.
    job.repeatEvery(w.intervalSeconds * 1000, { skipImmediate: true });
    return job.save();
  },
};

const RUNS: Kind<WantedRun> = {
  name: RUN_TASK_JOB,
  keyOfJob: (j) => (j.data as RunTaskData).taskId,
  keyOf: (w) => w.taskId,
  // A job that failed to queue its task waits for its retry: it stays as it is.
  inLine: () => true,
  async save(agenda, w) {
    const job = agenda.create<RunTaskData>(RUN_TASK_JOB, { taskId: w.taskId, storageId: w.storageId }).unique({ 'data.taskId': w.taskId });
    job.schedule(w.runAt);
    return job.save();
  },
};

function pollingKey(d: { storageId: string; resourceType: string }): string {
  return `${d.storageId}|${d.resourceType}`;
}
