// Task operations beyond operations.ts (delete, cancel, sync all) and polls on a task's state,
// for tests that interrupt a running sync at a known point instead of sleeping fixed times.
import { gql } from './graphql.js';
import { TASK, TASK_FIELDS } from './operations.js';

export const DELETE_STORAGE = `mutation Delete($id: ID!) { deleteStorage(id: $id) { ${TASK_FIELDS} } }`;

export const CANCEL_TASK = `mutation Cancel($id: ID!) { cancelTask(id: $id) { ${TASK_FIELDS} } }`;

export const SYNC_ALL = `mutation SyncAll($options: SyncOptions) { syncAllStorages(options: $options) { ${TASK_FIELDS} } }`;

/** A task with the storage it points at (null once the storage is deleted). */
export const TASK_WITH_STORAGE = `query TaskStorage($id: ID!) { task(id: $id) { ${TASK_FIELDS} storage { id name } } }`;

export const ENDED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** The first task of a storage (after registration: its first sync). */
export async function firstTaskOf(url: string, storageId: string): Promise<any> {
  const { tasks } = await gql(url, `query($s: ID) { tasks(storageId: $s) { edges { node { ${TASK_FIELDS} } } } }`, { s: storageId });
  return tasks.edges.at(-1).node;
}

/** Polls a task every 50 ms until `until` holds; fails at once if it ended without it holding. */
export async function pollTask(url: string, id: string, until: (task: any) => boolean, what: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { task } = await gql(url, TASK, { id });
    if (task && until(task)) return task;
    if (task && ENDED.includes(task.status)) throw new Error(`task ${id} ended before ${what}: ${JSON.stringify(task)}`);
    if (Date.now() > deadline) throw new Error(`task ${id}: no ${what} in ${timeoutMs} ms: ${JSON.stringify(task)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until a running task's progress is above `above` (0..1). */
export function waitForProgressAbove(url: string, id: string, above: number, timeoutMs = 30_000): Promise<any> {
  return pollTask(url, id, (t) => t.status === 'RUNNING' && t.progress > above, `progress above ${above}`, timeoutMs);
}
