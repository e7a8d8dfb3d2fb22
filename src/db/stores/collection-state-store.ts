// The metric_collection table: per storage and resource type, the end of the last window
// collected (or recorded as lost), where the next poll starts.
import type { Queryable } from '../sql.js';
import type { ResourceType } from '../../drivers/driver.js';

export async function collectedUntil(q: Queryable, storageId: string, resourceType: ResourceType): Promise<number | null> {
  const { rows } = await q.query('select collected_until from metric_collection where storage_id = $1 and resource_type = $2', [storageId, resourceType]);
  return rows[0] ? (rows[0].collected_until as Date).getTime() : null;
}

/** Moves the mark forward only: a late, repeated delivery never moves it back. */
export async function advanceCollectedUntil(q: Queryable, storageId: string, resourceType: ResourceType, until: number): Promise<void> {
  await q.query(
    `insert into metric_collection (storage_id, resource_type, collected_until)
     select $1, $2, $3 where exists (select 1 from storage where id = $1)
     on conflict (storage_id, resource_type) do update set collected_until = greatest(metric_collection.collected_until, excluded.collected_until)`,
    [storageId, resourceType, new Date(until)],
  );
}
