// A bounded queue of jobs run a few at a time: a trap storm waits here (up to `maxWaiting`)
// instead of opening unbounded database work; beyond that, push refuses and the caller counts it.
export class WorkQueue {
  private readonly waiting: Array<() => Promise<void>> = [];
  private running = 0;
  private idle?: () => void;

  constructor(
    private readonly maxWaiting: number,
    private readonly concurrency: number,
  ) {}

  /** False when the queue is full (the job is not taken). */
  push(job: () => Promise<void>): boolean {
    if (this.waiting.length >= this.maxWaiting) return false;
    this.waiting.push(job);
    this.next();
    return true;
  }

  /** Resolves when every job taken has run. */
  drain(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.idle = resolve));
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      void job().finally(() => {
        this.running--;
        this.next();
        if (this.running === 0 && this.waiting.length === 0) this.idle?.();
      });
    }
  }
}
