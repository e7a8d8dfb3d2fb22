// At most N requests in flight to one array (architecture rule 10). Shared by every driver
// instance of this process that talks to the same host and port, so a sync and the performance
// polls of one array together stay within the bound.

export class RequestLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(public max: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // Hand the slot over directly, so a newcomer cannot overtake those waiting.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const limiters = new Map<string, RequestLimiter>();

/** The limiter of one array; the latest setting of its bound wins. */
export function limiterFor(host: string, port: number, max: number): RequestLimiter {
  const key = JSON.stringify([host.toLowerCase(), port]);
  let limiter = limiters.get(key);
  if (!limiter) limiters.set(key, (limiter = new RequestLimiter(max)));
  limiter.max = max;
  return limiter;
}
