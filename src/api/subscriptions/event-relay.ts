// One NATS subscription per api process relays task events to any number of graphql-ws
// subscribers. A subscription starts with the current state (so a client that subscribes after
// the task ended still sees the end), then gets every newer event, in order (by task version).
// Core NATS keeps nothing: an event lost on the way (a cluster route cut, a worker killed between
// its commit and its publish) would leave a subscriber waiting for an end that already happened.
// So the relay rechecks, every `recheckSeconds`, the rows of the tasks its subscribers saw and not
// yet saw end, and hands them the rows that moved on without them.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { subscribeTaskEvents, type TaskEvent, type TaskSnapshot, type TaskEventType } from '../../bus/task-events.js';
import type { BusNames } from '../../bus/subjects.js';
import type { TaskStatus } from '../../db/entities/enums.js';
import type { KnownVersion } from '../../db/stores/task-store.js';
import { TaskEventStream } from './task-event-stream.js';

export interface TaskEventFilter {
  taskId?: string | null;
  storageId?: string | null;
}

/**
 * Offers (streams × events) made before the relay lets the event loop breathe. Each offer wakes a
 * subscriber whose delivery (its send included) runs before any other I/O: a thousand of them
 * in one go kept HTTP queries waiting for tens of milliseconds per event.
 */
const FANOUT_CHUNK = 100;

/** Events published just before the cut was noticed are caught up too. */
const CATCH_UP_SLACK_MS = 5000;

/** Reads the rows of the tasks past the versions known, changed more than `settledSeconds` ago. */
export type RowsPastVersions = (known: KnownVersion[], settledSeconds: number) => Promise<TaskSnapshot[]>;

/** Tasks rechecked in one round at most (one query); the rest wait for the next round. */
const RECHECK_BATCH = 20_000;

export class EventRelay {
  private readonly streams = new Set<TaskEventStream>();
  /** How each stream reads what changed while the relay was cut off. */
  private readonly catchUps = new Map<TaskEventStream, (since: Date) => Promise<TaskSnapshot[]>>();
  private sub?: Subscription;
  /** Events received and not yet offered to every stream, in arrival order. */
  private readonly pending: TaskEvent[] = [];
  private fanningOut = false;
  private recheckTimer?: NodeJS.Timeout;
  private rechecking = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    /** Without it, nothing is rechecked (a lost event stays lost). */
    private readonly recheck?: { rowsPastVersions: RowsPastVersions; everySeconds: number },
  ) {}

  start(): void {
    // With no stream, nothing needs an event: a stream added later reads the tasks' state after
    // it is added, which already holds every change whose event arrived before.
    this.sub = subscribeTaskEvents(this.nc, this.names, (e) => this.enqueue(e), () => this.streams.size > 0);
    void this.watchConnection();
    if (this.recheck) {
      this.recheckTimer = setInterval(() => void this.recheckUnended(), this.recheck.everySeconds * 1000);
      this.recheckTimer.unref();
    }
  }

  /**
   * The rows of tasks some subscriber follows and has not seen end, past the version the least
   * advanced of them has, and settled for a round (an event on its way is not overtaken: that
   * would make the subscriber skip it). They go out as the catch-up's states do, in turn with
   * the events received; versions drop them for subscribers that had them.
   */
  private async recheckUnended(): Promise<void> {
    if (this.rechecking || !this.recheck) return;
    const known = new Map<string, number>();
    gather: for (const stream of this.streams) {
      for (const [id, version] of stream.unendedTasks()) {
        const least = known.get(id);
        if (least === undefined || version < least) known.set(id, version);
        if (known.size >= RECHECK_BATCH) break gather;
      }
    }
    if (known.size === 0) return;
    this.rechecking = true;
    try {
      const rows = await this.recheck.rowsPastVersions([...known].map(([id, version]) => ({ id, version })), this.recheck.everySeconds);
      for (const t of rows) this.enqueue({ type: typeOfState(t.status), task: t, at: t.updatedAt });
    } catch {
      // the database is away: the next round tries again
    } finally {
      this.rechecking = false;
    }
  }

  private enqueue(e: TaskEvent): void {
    this.pending.push(e);
    if (!this.fanningOut) void this.fanOut();
  }

  /**
   * Events published while this api was cut off from NATS never reach it (core subjects keep
   * nothing). When the connection comes back, each subscriber gets the state of every task of
   * its filter that changed since the cut (from PostgreSQL); versions drop what it already had.
   */
  private async watchConnection(): Promise<void> {
    let cutAt: Date | undefined;
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') cutAt ??= new Date(Date.now() - CATCH_UP_SLACK_MS);
      if (s.type === 'reconnect' && cutAt) {
        const since = cutAt;
        cutAt = undefined;
        for (const [stream, changedSince] of this.catchUps) {
          changedSince(since).then(
            (tasks) => tasks.forEach((t) => stream.offer({ type: typeOfState(t.status), task: t, at: t.updatedAt })),
            () => undefined, // the database is away too: the next reconnect, or the client, retries
          );
        }
      }
    }
  }

  /**
   * Offers the pending events to every stream, in order, yielding to the event loop between
   * chunks of streams. Every event received so far goes to a chunk at once: a subscriber that is
   * behind gets its backlog in one turn, which leaves in one write (next-frames.ts) instead of
   * one write per event. Each stream still sees events in arrival order; a stream added
   * meanwhile reads the current state, which already includes what it missed.
   */
  private async fanOut(): Promise<void> {
    this.fanningOut = true;
    try {
      while (this.pending.length > 0) {
        const events = this.pending.splice(0);
        const streams = [...this.streams];
        // About FANOUT_CHUNK offers a turn, however many events.
        const chunk = Math.max(1, Math.ceil(FANOUT_CHUNK / events.length));
        for (let i = 0; i < streams.length; i += chunk) {
          if (i > 0) await new Promise((resolve) => setImmediate(resolve));
          for (let j = i; j < Math.min(i + chunk, streams.length); j++) for (const e of events) streams[j]!.offer(e);
        }
      }
    } finally {
      this.fanningOut = false;
    }
  }

  get subscriberCount(): number {
    return this.streams.size;
  }

  /**
   * Events matching `filter`, starting with `current()` (the tasks' state now). Listening starts
   * before the state is read, so no event falls between the two.
   */
  subscribe(
    filter: TaskEventFilter,
    current: () => Promise<TaskSnapshot[]>,
    changedSince?: (since: Date) => Promise<TaskSnapshot[]>,
  ): AsyncIterableIterator<TaskEvent> {
    const stream = new TaskEventStream(
      (e) => matches(filter, e.task),
      Boolean(filter.taskId),
      () => {
        this.streams.delete(stream);
        this.catchUps.delete(stream);
      },
    );
    this.streams.add(stream);
    if (changedSince) this.catchUps.set(stream, changedSince);
    current().then(
      (tasks) => stream.begin(tasks.map((t) => ({ type: typeOfState(t.status), task: t, at: t.updatedAt }))),
      (err: Error) => stream.fail(err),
    );
    return stream;
  }

  stop(): void {
    clearInterval(this.recheckTimer);
    this.sub?.unsubscribe();
    for (const s of this.streams) void s.return();
  }
}

function matches(filter: TaskEventFilter, task: TaskSnapshot): boolean {
  if (filter.taskId && task.id !== filter.taskId) return false;
  if (filter.storageId && task.storageId !== filter.storageId) return false;
  return true;
}

/** The event that describes a task's current state to a new subscriber. */
function typeOfState(status: TaskStatus): TaskEventType {
  return status === 'RUNNING' ? 'PROGRESS' : status;
}
