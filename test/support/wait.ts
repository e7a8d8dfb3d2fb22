import { gql } from './graphql.js';
import { TASK } from './operations.js';

const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Polls a task until it ends (for tests that do not watch events). */
export async function waitForTask(url: string, id: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { task } = await gql(url, TASK, { id });
    if (task && TERMINAL.includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${id} did not end in ${timeoutMs} ms: ${JSON.stringify(task)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `fn` until it returns something truthy (which it returns), failing after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
