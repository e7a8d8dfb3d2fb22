// The one log line of a task's end: what an operator tailing the logs sees of every task. A
// failure is a warning with its reason; a success or a cancellation is information (a
// cancellation says what cancelled it). Only ids, names, counts and reasons: never access info.
import type { Logger } from '../../logger.js';
import type { Queryable } from '../../db/sql.js';
import type { TaskRow } from '../../db/stores/task-store.js';

const TASK_ENDED = 'task ended';

/** Logs `ended` (the row its end returned) once, where the end was committed. */
export function logTaskEnd(logger: Logger, ended: TaskRow, storageName: string | null): void {
  const line = {
    taskId: ended.id,
    kind: ended.kind,
    storageId: ended.storageId,
    storageName,
    outcome: ended.status,
    durationMs: durationMs(ended),
    attempts: ended.attempts,
    ...(ended.resourceType ? { resourceType: ended.resourceType } : {}),
    ...(ended.stats ? { stats: ended.stats } : {}),
    ...outcomeText(ended),
  };
  if (ended.status === 'FAILED') logger.warn(line, TASK_ENDED);
  else logger.info(line, TASK_ENDED);
}

/**
 * The line of a task that ended before it ran (cancelled while queued or scheduled): no worker
 * read its storage's name, so it is read here, on this rare path.
 */
export async function logEndBeforeRun(q: Queryable, logger: Logger, ended: TaskRow): Promise<void> {
  const name = await q
    .query('select name from storage where id = $1', [ended.storageId])
    .then((r) => (r.rows[0]?.name as string | undefined) ?? null, () => null);
  logTaskEnd(logger, ended, name);
}

/** From its first start to its end; 0 for a task that ended before it ever ran. */
function durationMs(t: TaskRow): number {
  if (!t.startedAt || !t.finishedAt) return 0;
  return Math.max(0, t.finishedAt.getTime() - t.startedAt.getTime());
}

/** Why it failed or was cancelled, or the kind's summary of what it did. */
function outcomeText(t: TaskRow): { reason?: string; summary?: string } {
  if (t.status === 'FAILED') return { reason: t.error ?? 'unknown' };
  if (t.status === 'CANCELLED') return t.message ? { reason: t.message } : {};
  return t.message ? { summary: t.message } : {};
}
