// A fleet of simulated storages for the scale-out test and benchmark: registered through the API
// in batches, then waited for until no task is open; and a probe of the API's query latency.
import { gql } from './graphql.js';
import { fakeInput, REGISTER } from './operations.js';

/** The address of the n-th array of a fleet (distinct hosts give distinct serial numbers). */
export function fleetHost(prefix: number, n: number): string {
  return `10.${prefix}.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

/** Registers `count` simulated arrays, `batch` at a time; returns their ids in order. */
export async function registerFleet(url: string, count: number, attrs: Record<string, unknown>, prefix: number, batch = 25): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += batch) {
    const made = await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, async (_, j) => {
        const n = i + j;
        const { registerStorage } = await gql(url, REGISTER, { input: fakeInput(fleetHost(prefix, n), attrs, `fleet-${n}`) });
        return registerStorage.id as string;
      }),
    );
    ids.push(...made);
  }
  return ids;
}

/** Resolves once no task is QUEUED or RUNNING (polled every 200 ms). */
export async function waitForIdle(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { tasks } = await gql(url, `{ tasks(status: [QUEUED, RUNNING]) { totalCount } }`);
    if (tasks.totalCount === 0) return;
    if (Date.now() > deadline) throw new Error(`${tasks.totalCount} tasks still open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A query a dashboard sends: the first page of storages with their state. */
export const STORAGES_PAGE = `{ storages(first: 20) { totalCount edges { node { id name status syncState } } } }`;

/**
 * Sends `query` one after another (with `gapMs` between) until stopped; the latencies in ms. A
 * request that fails (say, a keep-alive connection the busy api closed as it was reused) is
 * counted in `failures` and sent again: its latency runs until an answer comes.
 */
export function latencyProbe(url: string, query = STORAGES_PAGE, gapMs = 20) {
  const latencies: number[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      for (;;) {
        try {
          await gql(url, query);
          break;
        } catch (err) {
          failures.push((err as Error).message);
          if (!running) return;
        }
      }
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
  return {
    latencies,
    failures,
    async stop(): Promise<number[]> {
      running = false;
      await loop;
      return latencies;
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
