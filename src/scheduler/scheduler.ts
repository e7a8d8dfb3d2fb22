// The scheduler role: the only part that talks to Agenda. Its reconciler brings Agenda's jobs in
// line with what PostgreSQL wants (sync_schedule, metrics_config, SCHEDULED tasks), and Agenda
// runs them when due. Several schedulers may run at once: Agenda locks a due job in the store,
// so each is run by one of them. It only queues tasks (through the task enqueuer, like the
// API); workers run them.
import { exponential, type Agenda } from 'agenda';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BusNames } from '../bus/subjects.js';
import type { Policy } from '../config.js';
import { openAgenda } from './agenda.js';
import { defineJob } from './define-job.js';
import type { JobStore } from './job-store.js';
import { COLLECT_PERFORMANCE_JOB, RUN_TASK_JOB, SYNC_STORAGE_JOB } from './jobs.js';
import { collectPerformanceJob } from './collect-performance-job.js';
import { Reconciler } from './reconciler.js';
import { ReconcileTriggers } from './reconcile-triggers.js';
import { runTaskJob } from './run-task-job.js';
import { syncStorageJob, type JobDeps } from './sync-storage-job.js';

export interface SchedulerDeps extends JobDeps {
  store: JobStore;
  policy: Policy;
  instance: string;
  nc: NatsConnection;
  names: BusNames;
}

/** The job earlier versions kept to reconcile polling; the reconciler does it now. */
const RETIRED_JOBS = ['reconcile-polling'];

export class Scheduler {
  private constructor(
    private readonly agenda: Agenda,
    private readonly triggers: ReconcileTriggers,
    private readonly close: () => Promise<void>,
  ) {}

  static async start(deps: SchedulerDeps): Promise<Scheduler> {
    const { agenda, close } = await openAgenda(deps.store, {
      name: deps.instance,
      processEveryMs: deps.policy.scheduler.processEveryMs,
      lockLifetimeMs: deps.policy.scheduler.lockLifetimeSeconds * 1000,
    });
    defineJob(agenda, SYNC_STORAGE_JOB, syncStorageJob(deps));
    defineJob(agenda, COLLECT_PERFORMANCE_JOB, collectPerformanceJob(deps));
    // A due task the bus refused goes back to SCHEDULED and is tried again, a few times.
    defineJob(agenda, RUN_TASK_JOB, runTaskJob(deps), {
      removeOnComplete: true,
      backoff: exponential({ delay: 1000, maxDelay: 60_000, maxRetries: 10 }),
    });
    const triggers = new ReconcileTriggers(new Reconciler(agenda, deps.sql, deps.logger), deps.nc, deps.names, deps.logger);
    agenda.on('fail', (err, job) => deps.logger.warn({ err: err.message, job: job.attrs.name, data: job.attrs.data }, 'scheduled job failed'));
    // Agenda's own errors (the job store failing while it locks or saves a job) would otherwise
    // pass unseen; such a job runs again when its lock expires, and the store is reconciled
    // once it answers again (it may have come back without its jobs).
    agenda.on('error', (err: Error) => {
      deps.logger.error({ err: err.message }, 'the scheduler could not reach its job store');
      triggers.storeFailed();
    });
    await agenda.start();
    await agenda.cancel({ names: RETIRED_JOBS }).catch(() => undefined);
    await triggers.start();
    deps.logger.info({ store: deps.store.kind, processEveryMs: deps.policy.scheduler.processEveryMs }, 'scheduler started');
    return new Scheduler(agenda, triggers, close);
  }

  /** Stops reconciling and taking due jobs, waits briefly for the running ones (each only queues a task), closes the store. */
  async stop(graceMs = 5000): Promise<void> {
    await this.triggers.stop();
    const result = await this.agenda.drain({ timeout: graceMs, closeConnection: false }).catch(() => undefined);
    if (result?.timedOut) await this.agenda.stop(false).catch(() => undefined);
    await this.close().catch(() => undefined);
  }
}
