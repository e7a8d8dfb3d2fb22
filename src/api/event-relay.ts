// One NATS subscription per api process relays task events to any number of graphql-ws
// subscribers. A subscription starts with the current state (so a client that subscribes after
// the task ended still sees the end), then gets every newer event, in order (by task version).
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { subscribeTaskEvents, type TaskEvent, type TaskSnapshot, type TaskEventType } from '../bus/task-events.js';
import type { BusNames } from '../bus/subjects.js';
import type { TaskStatus } from '../db/entities/enums.js';
import { TaskEventStream } from './task-event-stream.js';

export interface TaskEventFilter {
  taskId?: string | null;
  storageId?: string | null;
}

export class EventRelay {
  private readonly streams = new Set<TaskEventStream>();
  private sub?: Subscription;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
  ) {}

  start(): void {
    this.sub = subscribeTaskEvents(this.nc, this.names, (e) => {
      for (const s of this.streams) s.offer(e);
    });
  }

  get subscriberCount(): number {
    return this.streams.size;
  }

  /**
   * Events matching `filter`, starting with `current()` (the tasks' state now). Listening starts
   * before the state is read, so no event falls between the two.
   */
  subscribe(filter: TaskEventFilter, current: () => Promise<TaskSnapshot[]>): AsyncIterableIterator<TaskEvent> {
    const stream = new TaskEventStream(
      (e) => matches(filter, e.task),
      Boolean(filter.taskId),
      () => this.streams.delete(stream),
    );
    this.streams.add(stream);
    current().then(
      (tasks) => stream.begin(tasks.map((t) => ({ type: typeOfState(t.status), task: t, at: t.updatedAt }))),
      (err: Error) => stream.fail(err),
    );
    return stream;
  }

  stop(): void {
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
