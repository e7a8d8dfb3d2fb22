// A performance poll of one storage's resource type, now (the scheduler's polling job, or an
// operator). A poll still queued or running for the same storage and type is returned instead:
// its windows reach up to its own start, and the next poll starts where it stopped, so ticks
// that coalesce lose no sample.
import type { Sql } from '../../db/sql.js';
import type { ResourceType } from '../../drivers/driver.js';
import type { TaskEnqueuer } from './enqueue.js';
import { insertCollection, type TaskRow } from '../../db/stores/task-store.js';

export async function requestCollection(
  sql: Sql,
  enqueuer: TaskEnqueuer,
  storageId: string,
  resourceType: ResourceType,
): Promise<{ task: TaskRow; created: boolean } | undefined> {
  const r = await insertCollection(sql.q, storageId, resourceType, 'NORMAL');
  if (r?.created) await enqueuer.publish(r.task, async () => undefined);
  return r;
}
