// The worker role (the seed's "Manager"): pulls tasks from JetStream, most urgent first, runs
// up to `concurrency` at once, and on stop hands back what it cannot finish in time.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { TaskQueue } from '../bus/task-queue.js';
import type { BusNames } from '../bus/subjects.js';
import type { TaskDelivery } from '../bus/task-delivery.js';
import { sleep } from '../lib/sleep.js';
import type { TaskServices } from './runtime/task-context.js';
import { TaskRunner } from './runtime/task-runner.js';
import { taskFor } from './kinds/task-kinds.js';

/** An idle worker polls this often even without a wake-up (redeliveries send none). */
const IDLE_POLL_MS = 1000;

export class Worker {
  private readonly runner: TaskRunner;
  private readonly running = new Set<Promise<void>>();
  /** Aborted first on stop: no new pulls. */
  private readonly stopPulling = new AbortController();
  /** Aborted when the grace period is over: running tasks hand back at their next checkpoint. */
  private readonly handBack = new AbortController();
  private wake?: () => void;
  /**
   * Resolves the pull loop's wait for a free slot (a task ended, or stop). One callback, not a
   * race over the running tasks and the stop signal: that added a listener to the signal per
   * wait which was never removed, and each add scans the ones before (0.4 s of the worker's CPU
   * over 2 000 tasks in a profile; 10 000 adds alone take 0.9 s: it grows with the square).
   */
  private slotFreed?: () => void;
  private wakeSub?: Subscription;
  private loop?: Promise<void>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly queue: TaskQueue,
    private readonly services: TaskServices,
  ) {
    this.runner = new TaskRunner(services, taskFor);
  }

  start(): void {
    this.wakeSub = this.nc.subscribe(this.names.taskWake, { callback: () => this.wake?.() });
    this.loop = this.pullLoop();
    this.services.logger.info({ concurrency: this.services.policy.worker.concurrency, instance: this.runner.instance }, 'worker started');
  }

  private async pullLoop(): Promise<void> {
    const { concurrency } = this.services.policy.worker;
    while (!this.stopPulling.signal.aborted) {
      if (this.running.size >= concurrency) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        continue;
      }
      const delivery = await this.queue.pullNext().catch((err: Error) => {
        this.services.logger.warn({ err: err.message }, 'cannot pull tasks from NATS; retrying');
        return undefined;
      });
      if (delivery && this.stopPulling.signal.aborted) delivery.nak(); // pulled while stopping: give it back
      else if (delivery) this.track(delivery);
      else await this.idle();
    }
  }

  private track(delivery: TaskDelivery): void {
    const job = this.runner.run(delivery, this.handBack.signal).catch((err: Error) => {
      // The database or bus failed around the task: leave the message un-acked; JetStream redelivers it.
      this.services.logger.error({ err: err.message, taskId: delivery.message?.taskId }, 'task run failed');
    });
    this.running.add(job);
    void job.finally(() => {
      this.running.delete(job);
      this.freeSlot();
    });
  }

  private freeSlot(): void {
    const freed = this.slotFreed;
    this.slotFreed = undefined;
    freed?.();
  }

  /** Waits for a wake-up (a task was queued), the poll interval, or stop. */
  private async idle(): Promise<void> {
    const woken = new AbortController();
    this.wake = () => woken.abort();
    const onStop = () => woken.abort();
    this.stopPulling.signal.addEventListener('abort', onStop, { once: true });
    await sleep(IDLE_POLL_MS, woken.signal);
    this.stopPulling.signal.removeEventListener('abort', onStop);
    this.wake = undefined;
  }

  /**
   * Stops pulling, lets running tasks finish for up to `graceMs`, then asks them to hand back
   * (they stop at their next checkpoint and their messages are redelivered elsewhere).
   */
  async stop(graceMs: number): Promise<void> {
    this.stopPulling.abort();
    this.freeSlot();
    await this.loop;
    const drained = Promise.all(this.running).then(() => 'done' as const);
    if ((await Promise.race([drained, sleep(graceMs).then(() => 'late' as const)])) === 'late') {
      this.services.logger.warn({ running: this.running.size }, 'grace period over: handing running tasks back');
      this.handBack.abort('the worker is stopping');
      await drained;
    }
    this.wakeSub?.unsubscribe();
  }
}
