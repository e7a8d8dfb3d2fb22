// A bounded queue of items handled in batches, a few batches at a time: a trap storm waits here
// (up to `maxWaiting` items) and is written to the database many rows per statement; beyond
// that, push refuses and the caller counts the item as dropped.
export class BatchQueue<T> {
  private readonly waiting: T[] = [];
  private running = 0;
  private idle?: () => void;

  constructor(
    private readonly maxWaiting: number,
    private readonly maxBatch: number,
    private readonly concurrency: number,
    private readonly handle: (batch: T[]) => Promise<void>,
  ) {}

  /** False when the queue is full (the item is not taken). */
  push(item: T): boolean {
    if (this.waiting.length >= this.maxWaiting) return false;
    this.waiting.push(item);
    this.next();
    return true;
  }

  /** Resolves when every item taken has been handled. */
  drain(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.idle = resolve));
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.running++;
      void this.handle(batch)
        .catch(() => undefined) // `handle` reports its own failures
        .finally(() => {
          this.running--;
          this.next();
          if (this.running === 0 && this.waiting.length === 0) this.idle?.();
        });
    }
  }
}
