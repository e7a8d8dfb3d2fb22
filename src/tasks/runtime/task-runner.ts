// Runs one delivery of a task, with the mechanics every kind shares: the storage lease, the
// attempt count, heartbeats to JetStream and the lease while it runs, the end state, the
// events, and the ack, which comes only after the end state is committed (rule 1).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { TaskDelivery } from '../../bus/task-delivery.js';
import { DriverError, UnreachableError } from '../../drivers/driver-error.js';
import { isTerminal } from '../../db/entities/index.js';
import type { BaseTask, TaskKinds, TaskOutcome } from './base-task.js';
import { TaskContext, type TaskServices } from './task-context.js';
import { StorageLeases } from '../../db/stores/storage-lease.js';
import { finish, getTask, handBack, markRunning, recordAttemptError, type Finish, type TaskRow } from '../../db/stores/task-store.js';
import { TaskStopped } from './task-stopped.js';
import { markOffline } from '../../db/stores/storage-store.js';
import { TaskRuns, type RunOutcome } from '../../db/stores/task-run-store.js';
import { logTaskEnd } from './task-end-log.js';
import { crashPoint } from '../../lib/test-crash.js';

/** Delay before a task whose storage is busy (another task holds its lease) is offered again. */
const BUSY_RETRY_MS = 1000;

export class TaskRunner {
  readonly instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly leases: StorageLeases;
  private readonly runs: TaskRuns;

  /** `kinds`: the class that performs each kind (../kinds/task-kinds.ts), given by the worker. */
  constructor(
    private readonly services: TaskServices,
    private readonly kinds: TaskKinds,
  ) {
    this.leases = new StorageLeases(services.sql, services.policy.sync.leaseSeconds);
    this.runs = new TaskRuns(services.sql);
  }

  async run(delivery: TaskDelivery, stopping: AbortSignal): Promise<void> {
    const message = delivery.message;
    if (!message) return delivery.term();
    const task = await getTask(this.services.sql.q, message.taskId);
    this.services.logger.debug({ taskId: message.taskId, delivery: delivery.deliveryCount, status: task?.status }, 'task delivered');
    // Unknown or already ended: a repeated delivery, nothing to do again.
    if (!task || isTerminal(task.status)) return delivery.ack();
    const impl = this.kinds(task.kind);
    if (!impl) return void (await this.end(delivery, task, undefined, { status: 'FAILED', error: `task kind ${task.kind} is not supported by this worker` }));

    // One holder per run, not per task: a retry of the task (here or elsewhere) cannot take over
    // a lease an earlier run of it may still hold (a run cut off by a database crash, whose
    // release never reached the database, or one resumed after a pause); it waits for the expiry.
    const holder = impl.options.leased === false ? undefined : `${task.id}@${this.instance}/${randomBytes(4).toString('hex')}`;
    const begun = await this.begin(task, impl, holder);
    if (begun.state === 'storage-gone') {
      const status = task.kind === 'REMOVE_STORAGE' ? 'SUCCEEDED' : 'CANCELLED';
      return void (await this.end(delivery, task, undefined, { status, message: 'the storage was deleted' }));
    }
    if (begun.state === 'busy') {
      this.services.logger.debug({ taskId: task.id, storageId: task.storageId }, 'storage busy: task offered again later');
      return delivery.nak(BUSY_RETRY_MS);
    }
    let released = false;
    try {
      if (begun.state === 'ended') return void (await delivery.ack()); // cancelled or ended meanwhile
      released = await this.runLeased(delivery, begun, impl, stopping);
    } finally {
      if (holder && !released) await this.leases.release(task.storageId, holder).catch(() => undefined);
    }
  }

  /**
   * The start of a run, in one transaction (one commit to wait for, not one per statement): the
   * storage's lease (kinds that take one), the task RUNNING with its attempt counted, the run's
   * row, and the kind's own start (a sync: the storage SYNCING). A task past its attempts is
   * only marked RUNNING here; its end follows (FAILED). A storage that is gone fails the lease's
   * foreign key: the transaction rolls back and nothing of it stays.
   */
  private async begin(task: TaskRow, impl: BaseTask, holder: string | undefined): Promise<Begun> {
    const { sql, policy } = this.services;
    const maxAttempts = impl.options.maxAttempts ?? policy.worker.maxAttempts;
    try {
      return await sql.tx(async (q, _opened, atCommit): Promise<Begun> => {
        let leaseUntil = this.unleasedUntil();
        if (holder) {
          const lease = await this.leases.acquire(task.storageId, holder, q);
          if (lease.state !== 'acquired') return lease;
          leaseUntil = lease.until;
        }
        const running = await markRunning(q, task.id, impl.startsWith);
        if (!running) return { state: 'ended' };
        const abort = new AbortController();
        const ctx = new TaskContext(running, this.services, abort.signal, impl.options.stopsWhenStorageDeleted, running.storageName, holder);
        if (running.attempts > maxAttempts) return { state: 'running', ctx, abort, maxAttempts, exhausted: true };
        const run = await this.runs.start(running.id, running.storageId, this.instance, running.attempts, leaseUntil, q);
        await impl.onStart(atCommit, ctx);
        return { state: 'running', ctx, abort, maxAttempts, exhausted: false, run };
      });
    } catch (err) {
      // The lease's foreign key: no such storage (its removal deleted it).
      if (holder && (err as { code?: string }).code === '23503') return { state: 'storage-gone' };
      throw err;
    }
  }

  /** Runs a task its start marked RUNNING; true when its end released the storage's lease. */
  private async runLeased(delivery: TaskDelivery, begun: Running, impl: BaseTask, stopping: AbortSignal): Promise<boolean> {
    const { events } = this.services;
    const { ctx, abort, maxAttempts } = begun;
    const running = ctx.task;
    if (begun.exhausted) {
      const last = running.error ? `: ${running.error}` : ': its runs ended without finishing (a worker stopped or lost its connections)';
      return this.end(delivery, running, { impl, ctx }, { status: 'FAILED', error: `gave up after ${attempts(maxAttempts)}${last}` });
    }
    events.publish('STARTED', running);

    const onStop = () => abort.abort('the worker is stopping');
    stopping.addEventListener('abort', onStop, { once: true });
    const run = begun.run!;
    const heartbeat = this.startHeartbeat(delivery, running.storageId, ctx.leaseHolder, run, abort);
    let after: AfterRun = { outcome: 'RETRY' };
    try {
      after = { outcome: 'SUCCEEDED', end: succeeded(await impl.perform(ctx)) };
    } catch (err) {
      after = await this.onError(delivery, ctx, err, running.attempts < maxAttempts);
    } finally {
      clearInterval(heartbeat);
      stopping.removeEventListener('abort', onStop);
    }
    // The end (and its ack) comes after the work's errors are handled: an ack lost after the
    // end committed is not a failure of the task. The run's row ends in the end's transaction.
    let ended = false;
    try {
      // Fenced out (another worker took the lease over while this one was paused): that run ends the task.
      if (after.end) ended = await this.end(delivery, ctx.task, { impl, ctx, run }, after.end, after.offline);
      if (after.end && !ended) after = { outcome: 'HANDED_BACK' };
    } finally {
      if (!ended) await this.runs.end(run, after.outcome).catch(() => undefined);
    }
    return ended;
  }

  private startHeartbeat(delivery: TaskDelivery, storageId: string, holder: string | undefined, run: number, abort: AbortController) {
    const everyMs = (Math.min(this.services.policy.worker.ackWaitSeconds, this.services.policy.sync.leaseSeconds) * 1000) / 3;
    return setInterval(() => {
      delivery.working();
      const renewed = holder ? this.leases.renew(storageId, holder) : Promise.resolve(this.unleasedUntil());
      renewed
        .then((until) => (until ? this.runs.heartbeat(run, until) : abort.abort('the worker lost the storage lease')))
        .catch(() => undefined); // the database is away: the next checkpoint will fail and retry
    }, everyMs);
  }

  /** A run without a lease is bounded by JetStream's ack wait: past it, the task is redelivered. */
  private unleasedUntil(): Date {
    return new Date(Date.now() + this.services.policy.worker.ackWaitSeconds * 1000);
  }

  /** How a run ended, and the task's end if it ends here (a hand-back or a retry has none). */
  private async onError(delivery: TaskDelivery, ctx: TaskContext, err: unknown, retryable: boolean): Promise<AfterRun> {
    const { sql, logger } = this.services;
    if (err instanceof TaskStopped && err.outcome === 'cancel') return { outcome: 'CANCELLED', end: { status: 'CANCELLED', message: err.message } };
    if (err instanceof TaskStopped) {
      // Handed back (shutdown, lost lease): not an attempt of its own; another worker goes on.
      // Every new version has its event, so a subscriber sees the hand-back (no gap in versions).
      const handed = await handBack(sql.q, ctx.task.id, err.message);
      if (handed) this.services.events.publish('PROGRESS', handed);
      delivery.nak();
      return { outcome: 'HANDED_BACK' };
    }
    if (err instanceof UnreachableError) return { outcome: 'FAILED', end: { status: 'FAILED', error: driverReason(err) }, offline: true };
    if (err instanceof DriverError) return { outcome: 'FAILED', end: { status: 'FAILED', error: driverReason(err) } };
    const reason = err instanceof Error ? err.message : String(err);
    logger.warn({ taskId: ctx.task.id, err: reason }, 'task attempt failed');
    if (!retryable) return { outcome: 'FAILED', end: { status: 'FAILED', error: `gave up after ${attempts(ctx.task.attempts)}: ${reason}` } };
    const recorded = await recordAttemptError(sql.q, ctx.task.id, reason).catch(() => undefined);
    if (recorded) this.services.events.publish('PROGRESS', recorded);
    delivery.nak(backoffMs(ctx.task.attempts));
    return { outcome: 'RETRY' };
  }

  /**
   * Commits the end: the task and every row its kind changes with it, in one transaction (a
   * crash before the ack leaves both, and the redelivery only acks). An array out of reach
   * shows OFFLINE from the same commit, so the end's event finds it so. Then the kind's
   * effects outside the database, the event, and the ack.
   */
  private async end(
    delivery: TaskDelivery,
    task: TaskRow,
    running: { impl: BaseTask; ctx: TaskContext; run?: number } | undefined,
    f: Finish,
    offline = false,
  ): Promise<boolean> {
    await running?.ctx.settle().catch(() => undefined); // progress reports still in flight come first
    const ended = await this.services.sql.tx(async (q, _opened, atCommit) => {
      // The fence, and the lease's release once this commits (one statement).
      if (running && !(await running.ctx.releaseLease(q))) return 'lease lost' as const;
      const row = await finish(q, task.id, f, { counters: atCommit });
      // What the end changes besides the task row needs no answer: it goes with the commit.
      if (row && offline) await markOffline(atCommit, task.storageId);
      if (row && running) await running.impl.onEnd(atCommit, running.ctx, f.status);
      if (running?.run !== undefined) await this.runs.end(running.run, f.status, atCommit);
      return row;
    });
    // No ack: the message is another worker's now (acking this old delivery would drop its redelivery).
    if (ended === 'lease lost') return false;
    crashPoint('after-task-end');
    if (ended) logTaskEnd(this.services.logger, ended, running?.ctx.storageName ?? null);
    if (ended && running) await running.impl.afterEnd(running.ctx, f.status);
    if (ended) this.services.events.publish(f.status, ended);
    await delivery.ack();
    return true;
  }
}

type Begun = { state: 'busy' } | { state: 'storage-gone' } | { state: 'ended' } | Running;

/** A run its start transaction committed: the task RUNNING, its context, its run's row (none when past its attempts). */
interface Running {
  state: 'running';
  ctx: TaskContext;
  abort: AbortController;
  maxAttempts: number;
  exhausted: boolean;
  run?: number;
}

interface AfterRun {
  outcome: RunOutcome;
  end?: Finish;
  /** The run could not reach the array: the storage shows OFFLINE. */
  offline?: boolean;
}

function succeeded(outcome: TaskOutcome): Finish {
  return { status: 'SUCCEEDED', message: outcome.message ?? null, stats: outcome.stats ?? null, collection: outcome.collection ?? null };
}

const attempts = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

function driverReason(err: DriverError): string {
  if (err instanceof UnreachableError) {
    const during = err.phase && err.phase !== 'connect' ? ` while reading ${err.phase}` : '';
    return `the array is unreachable${during}: ${err.message}`;
  }
  return err.phase ? `driver error while reading ${err.phase}: ${err.message}` : `driver error: ${err.message}`;
}

/** 1 s, 2 s, 4 s ... up to a minute between attempts of a task that failed for a passing cause. */
export function backoffMs(attempt: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
}
