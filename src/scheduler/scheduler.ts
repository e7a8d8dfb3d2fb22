// The scheduler role: Agenda processing the jobs of the store. Several schedulers may run at
// once: Agenda locks a due job in the store, so each is run by one of them. It only queues
// tasks (through the task enqueuer, like the API); workers run them.
import { exponential, type Agenda } from 'agenda';
import type { Policy } from '../config.js';
import { openAgenda } from './agenda.js';
import type { JobStore } from './job-store.js';
import { COLLECT_PERFORMANCE_JOB, RUN_TASK_JOB, SYNC_STORAGE_JOB } from './jobs.js';
import { collectPerformanceJob } from './collect-performance-job.js';
import { RECONCILE_EVERY_MS, RECONCILE_POLLING_JOB, reconcilePolling, reconcilePollingJob } from './reconcile-polling-job.js';
import { runTaskJob } from './run-task-job.js';
import { syncStorageJob, type JobDeps } from './sync-storage-job.js';

export interface SchedulerDeps extends JobDeps {
  store: JobStore;
  policy: Policy;
  instance: string;
}

export class Scheduler {
  private constructor(
    private readonly agenda: Agenda,
    private readonly close: () => Promise<void>,
  ) {}

  static async start(deps: SchedulerDeps): Promise<Scheduler> {
    const { agenda, close } = await openAgenda(deps.store, {
      name: deps.instance,
      processEveryMs: deps.policy.scheduler.processEveryMs,
      lockLifetimeMs: deps.policy.scheduler.lockLifetimeSeconds * 1000,
    });
    agenda.define(SYNC_STORAGE_JOB, syncStorageJob(deps), { concurrency: 50 });
    agenda.define(COLLECT_PERFORMANCE_JOB, collectPerformanceJob(deps), { concurrency: 50 });
    agenda.define(RECONCILE_POLLING_JOB, reconcilePollingJob(deps), { concurrency: 1 });
    // A due task the bus refused goes back to SCHEDULED and is tried again, a few times.
    agenda.define(RUN_TASK_JOB, runTaskJob(deps), {
      concurrency: 50,
      removeOnComplete: true,
      backoff: exponential({ delay: 1000, maxDelay: 60_000, maxRetries: 10 }),
    });
    agenda.on('fail', (err, job) => deps.logger.warn({ err: err.message, job: job.attrs.name, data: job.attrs.data }, 'scheduled job failed'));
    // Agenda's own errors (the job store failing while it locks or saves a job) would otherwise
    // pass unseen; such a job runs again when its lock expires.
    agenda.on('error', (err: Error) => deps.logger.error({ err: err.message }, 'the scheduler could not reach its job store'));
    await agenda.start();
    // One job for every scheduler (every() keeps it unique by name); milliseconds, as a number.
    await agenda.every(RECONCILE_EVERY_MS, RECONCILE_POLLING_JOB);
    // And once now: jobs lost while no scheduler ran come back at its start.
    await reconcilePolling(agenda, deps).catch((err: Error) => deps.logger.warn({ err: err.message }, 'performance polling not reconciled at start'));
    deps.logger.info({ store: deps.store.kind, processEveryMs: deps.policy.scheduler.processEveryMs }, 'scheduler started');
    return new Scheduler(agenda, close);
  }

  /** Stops taking due jobs, waits briefly for the running ones (each only queues a task), closes the store. */
  async stop(graceMs = 5000): Promise<void> {
    const result = await this.agenda.drain({ timeout: graceMs, closeConnection: false }).catch(() => undefined);
    if (result?.timedOut) await this.agenda.stop(false).catch(() => undefined);
    await this.close().catch(() => undefined);
  }
}
