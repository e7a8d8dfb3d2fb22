// One window asked of the driver, tried again with an exponential back-off when it fails, a
// bounded number of times; the last error is returned, not thrown, so the poll goes on.
import { sleep } from '../../../lib/sleep.js';

export type Attempted<T> = { ok: true; value: T; retries: number } | { ok: false; error: Error; retries: number };

export async function withRetries<T>(
  call: () => Promise<T>,
  attempts: number,
  backoffMs: number,
  signal: AbortSignal,
  onRetry: (error: Error, attempt: number) => void = () => undefined,
): Promise<Attempted<T>> {
  let last: Error = new Error('not tried');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return { ok: true, value: await call(), retries: attempt - 1 };
    } catch (err) {
      last = err instanceof Error ? err : new Error(String(err));
      if (attempt === attempts || signal.aborted) return { ok: false, error: last, retries: attempt - 1 };
      onRetry(last, attempt);
      await sleep(backoffMs * 2 ** (attempt - 1), signal);
    }
  }
  return { ok: false, error: last, retries: attempts - 1 };
}
