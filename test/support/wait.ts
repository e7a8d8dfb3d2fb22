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
