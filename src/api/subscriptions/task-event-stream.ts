// The events of one subscription, as an async iterator that graphql-ws consumes. Events that
// arrive before the initial state is known are held, then only those newer than the state pass.
// A subscriber that falls too far behind is told so (the iterator fails) instead of silently
// losing events.
import type { TaskEvent } from '../../bus/task-events.js';
import { isTerminal } from '../../db/entities/enums.js';
import { AppError } from '../../errors.js';

const MAX_BUFFERED = 10_000;

export class TaskEventStream implements AsyncIterableIterator<TaskEvent> {
  private readonly queue: TaskEvent[] = [];
  private held: TaskEvent[] | undefined = [];
  private readonly versions = new Map<string, number>();
  /** Tasks this subscriber saw and not yet saw end, with the version it has: what the relay rechecks. */
  private readonly unended = new Map<string, number>();
  private waiting?: { resolve: (r: IteratorResult<TaskEvent>) => void; reject: (e: Error) => void };
  private done = false;
  private error?: Error;

  constructor(
    private readonly accept: (e: TaskEvent) => boolean,
    /** A subscription to one task ends after that task's end. */
    private readonly endsWithTask: boolean,
    private readonly onClose: () => void,
  ) {}

  /** Delivers the initial state, then whatever was held meanwhile. */
  begin(initial: TaskEvent[]): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const e of [...initial, ...held]) this.push(e);
  }

  offer(e: TaskEvent): void {
    if (this.done || !this.accept(e)) return;
    if (this.held) this.held.push(e);
    else this.push(e);
  }

  /** The tasks it follows that have not ended for it, and the version it has of each (none while it starts or once done). */
  unendedTasks(): ReadonlyMap<string, number> {
    return this.held || this.done ? new Map() : this.unended;
  }

  fail(err: Error): void {
    this.error = err;
    this.close();
  }

  private push(e: TaskEvent): void {
    if (this.done) return;
    const seen = this.versions.get(e.task.id) ?? 0;
    if (e.task.version <= seen) return; // older than what this subscriber already has
    this.versions.set(e.task.id, e.task.version);
    if (isTerminal(e.task.status)) this.unended.delete(e.task.id);
    else this.unended.set(e.task.id, e.task.version);
    if (this.queue.length >= MAX_BUFFERED) {
      return this.fail(new AppError('FELL_BEHIND', `this subscriber fell more than ${MAX_BUFFERED} events behind; subscribe again to resume from the current state`));
    }
    this.queue.push(e);
    this.flush();
    if (this.endsWithTask && isTerminal(e.task.status)) this.finishAfterQueue();
  }

  private finishAfterQueue(): void {
    this.done = true;
    this.onClose();
    this.flush();
  }

  private flush(): void {
    if (!this.waiting) return;
    const w = this.waiting;
    if (this.queue.length > 0) {
      this.waiting = undefined;
      w.resolve({ value: this.queue.shift()!, done: false });
    } else if (this.done) {
      this.waiting = undefined;
      if (this.error) w.reject(this.error);
      else w.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<TaskEvent>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.done) return this.error ? Promise.reject(this.error) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** The client went away: stop at once (no waiting for a next event). */
  return(): Promise<IteratorResult<TaskEvent>> {
    this.queue.length = 0;
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  private close(): void {
    if (!this.done) {
      this.done = true;
      this.onClose();
    }
    this.flush();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<TaskEvent> {
    return this;
  }
}
