// The JetStream side of tasks: one work-queue stream, one durable pull consumer per priority.
// Publishing uses the task id as message id, so a repeated publish within the stream's
// duplicate window is dropped by the server.
import { PublishRetry } from './publish-retry.js';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type ConsumerConfig,
} from '@nats-io/jetstream';
import { createInbox, nanos, type NatsConnection } from '@nats-io/transport-node';
import { TASK_PRIORITIES, type TaskPriority } from '../db/entities/enums.js';
import type { BusNames } from './subjects.js';
import { encodeTaskMessage, type TaskMessage } from './task-message.js';
import { NatsTaskDelivery, type TaskDelivery } from './task-delivery.js';
import { publishPipelined } from './pipelined-publish.js';
import { downForMs } from './connection-state.js';

/** A pipelined publish gives up on what is still unanswered after this long without any answer. */
const PIPELINE_QUIET_MS = 2000;
/** Publishes in flight at once on the one-by-one path (what the pipelined one left). */
const SLOW_PATH_IN_FLIGHT = 200;

/**
 * A task's message published again after the bus lost it gets a message id of its own: the
 * lost one may still be in the stream's duplicate window, which would swallow the new one.
 */
const AGAIN = '@again-';

/** A task's message id: its id, or a fresh one for a message published again (`lostFrom` knows both). */
function messageId(taskId: string, again = false): string {
  return again ? `${taskId}${AGAIN}${Date.now()}` : taskId;
}

/** HIGH first: a worker with a free slot takes the most urgent queued task. */
export const PULL_ORDER: readonly TaskPriority[] = ['HIGH', 'NORMAL', 'LOW'];

export interface TaskQueueOptions {
  ackWaitSeconds: number;
  /** Copies of the stream in a NATS cluster (1 on a single server); its consumers follow it. */
  replicas?: number;
  /** How long a refused publish (a leader election, a client moving node) is retried; default 10 s. */
  publishRetrySeconds?: number;
}

export class TaskQueue {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly retry: PublishRetry,
  ) {}

  /** Creates (or updates) the stream and its consumers; safe to call from every process. */
  /** How long a publish may take at most, its retries included. */
  get publishDeadlineMs(): number {
    return this.retry.deadlineMs + 2000;
  }

  static async open(nc: NatsConnection, names: BusNames, opts: TaskQueueOptions): Promise<TaskQueue> {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, {
      name: names.taskStream,
      subjects: TASK_PRIORITIES.map((p) => names.taskSubject(p)),
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(10 * 60 * 1000),
      num_replicas: opts.replicas ?? 1,
    });
    for (const priority of TASK_PRIORITIES) {
      await ensureConsumer(jsm, names.taskStream, {
        durable_name: names.taskConsumer(priority),
        filter_subject: names.taskSubject(priority),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(opts.ackWaitSeconds * 1000),
        // Redelivery is unbounded on the bus; the worker counts attempts in the task row and
        // ends the task FAILED after its bound, so no task is silently dropped.
        max_deliver: -1,
        max_ack_pending: 20000,
      });
    }
    return new TaskQueue(nc, names, new PublishRetry(nc, (opts.publishRetrySeconds ?? 10) * 1000));
  }

  /** Publishes a task; returns its sequence in the stream (to remove it if it is cancelled while queued). */
  async publish(message: TaskMessage, priority: TaskPriority, again = false): Promise<number> {
    // Refused past the retry deadline (or NATS down longer than it): the caller undoes and says UNAVAILABLE.
    const js = jetstream(this.nc);
    const ack = await this.retry.run((timeout) =>
      js.publish(this.names.taskSubject(priority), encodeTaskMessage(message), { msgID: messageId(message.taskId, again), timeout }),
    );
    this.nc.publish(this.names.taskWake);
    return ack.seq;
  }

  /**
   * Publishes many tasks: first all at once (pipelined, `onStored` as each is on the stream),
   * then those left unanswered one by one with `publish`'s retries, `SLOW_PATH_IN_FLIGHT` at a
   * time. Returns each task's sequence, or why the bus refused it. One wake-up for them all.
   */
  async publishMany(
    items: ReadonlyArray<{ message: TaskMessage; priority: TaskPriority; again?: boolean }>,
    onStored: (index: number, sequence: number) => void,
  ): Promise<Array<number | Error>> {
    const results: Array<number | Error | undefined> = new Array(items.length).fill(undefined);
    if (downForMs(this.nc) === 0 && !this.retry.refusing) {
      const messages = items.map(({ message, priority, again }) => ({
        subject: this.names.taskSubject(priority), data: encodeTaskMessage(message), msgId: messageId(message.taskId, again),
      }));
      const sequences = await publishPipelined(this.nc, messages, PIPELINE_QUIET_MS, (i, sequence) => {
        if (i === 0) this.nc.publish(this.names.taskWake); // workers start while the rest go out
        onStored(i, sequence);
      });
      sequences.forEach((s, i) => (results[i] = s));
    }
    const left = results.flatMap((r, i) => (r === undefined ? [i] : []));
    for (let k = 0; k < left.length; k += SLOW_PATH_IN_FLIGHT) {
      await Promise.all(
        left.slice(k, k + SLOW_PATH_IN_FLIGHT).map(async (i) => {
          try {
            results[i] = await this.publish(items[i]!.message, items[i]!.priority, items[i]!.again);
            onStored(i, results[i] as number);
          } catch (err) {
            results[i] = err instanceof Error ? err : new Error(String(err));
          }
        }),
      );
    }
    if (items.length > 0) this.nc.publish(this.names.taskWake);
    return results as Array<number | Error>;
  }

  /** The next task of one priority, or undefined at once when none is waiting. */
  async pullNoWait(priority: TaskPriority): Promise<TaskDelivery | undefined> {
    const subject = `$JS.API.CONSUMER.MSG.NEXT.${this.names.taskStream}.${this.names.taskConsumer(priority)}`;
    // A pulled message arrives under its own subject, not the inbox's, so `request()` (which
    // routes replies by inbox subject) cannot receive it: listen on a one-message inbox instead.
    const inbox = createInbox();
    const sub = this.nc.subscribe(inbox, { max: 1, timeout: 5000 });
    this.nc.publish(subject, JSON.stringify({ batch: 1, no_wait: true }), { reply: inbox });
    for await (const reply of sub) {
      // A status reply (404 no messages, 408 timeout, 409 limits) carries no task.
      if ((reply.headers && reply.headers.code >= 400) || !reply.reply) return undefined;
      return new NatsTaskDelivery(this.nc, reply);
    }
    return undefined;
  }

  /** The next task in priority order, or undefined when every priority is empty. */
  async pullNext(): Promise<TaskDelivery | undefined> {
    for (const priority of PULL_ORDER) {
      const delivery = await this.pullNoWait(priority);
      if (delivery) return delivery;
    }
    return undefined;
  }

  /**
   * Of these queued tasks, those whose message is no longer on the stream: below its first
   * sequence (a work queue keeps nothing older), past its last, or another message at that
   * sequence. A cluster whose node acknowledged a publish and then went back to an older state
   * (nats-server 2.9 after a full disk on its stream leader) loses messages this way.
   */
  async lostFrom(tasks: ReadonlyArray<{ id: string; busSequence: number | null }>): Promise<string[]> {
    if (tasks.length === 0) return [];
    const jsm = await jetstreamManager(this.nc, { checkAPI: false });
    const { state } = await jsm.streams.info(this.names.taskStream);
    const lost: string[] = [];
    for (const task of tasks) {
      const seq = Number(task.busSequence);
      if (seq < state.first_seq || seq > state.last_seq) lost.push(task.id);
      else {
        const stored = await jsm.streams.getMessage(this.names.taskStream, { seq });
        const id = stored?.header?.get('Nats-Msg-Id');
        if (id !== task.id && !id?.startsWith(`${task.id}${AGAIN}`)) lost.push(task.id);
      }
    }
    return lost;
  }

  /** Removes a queued task's message (cancelTask on a QUEUED task); false when it was already gone. */
  async remove(streamSequence: number): Promise<boolean> {
    const jsm = await jetstreamManager(this.nc);
    return jsm.streams.deleteMessage(this.names.taskStream, streamSequence, false).catch(() => false);
  }

  /** Deletes the stream and consumers of this namespace (tests clean up with it). */
  static async destroy(nc: NatsConnection, names: BusNames): Promise<void> {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(names.taskStream).catch(() => undefined);
  }
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.add(config);
  } catch {
    // An existing stream with a different configuration: bring it up to date.
    await jsm.streams.update(config.name, config);
  }
}

async function ensureConsumer(jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig>): Promise<void> {
  try {
    await jsm.consumers.add(stream, config);
  } catch {
    await jsm.consumers.update(stream, config.durable_name!, config);
  }
}
