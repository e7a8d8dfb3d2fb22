// The metric_counter_reading table: the last cumulative-counter reading of each resource of a
// storage, per resource type (what a counter-based driver needs to turn the next reading into
// rates). Readings of deleted resources are removed by the resource tables' triggers.
import type { Queryable } from '../sql.js';
import type { CounterReading, ResourceType } from '../../drivers/driver.js';

export async function counterReadings(q: Queryable, storageId: string, resourceType: ResourceType): Promise<CounterReading[]> {
  const { rows } = await q.query(
    'select resource_id, read_at, counters from metric_counter_reading where storage_id = $1 and resource_type = $2',
    [storageId, resourceType],
  );
  return rows.map((r) => ({ resourceType, resourceId: r.resource_id as string, at: (r.read_at as Date).getTime(), values: r.counters as Record<string, number> }));
}

/**
 * Keeps `current` as the readings of the type: each replaces an older reading of its resource
 * (never a newer one: a late, repeated delivery does not move a reading back), and the readings
 * of resources the device no longer reports are dropped. Nothing when the storage is gone.
 */
export async function saveCounterReadings(q: Queryable, storageId: string, resourceType: ResourceType, current: CounterReading[]): Promise<void> {
  const kept = current.filter((r) => r.resourceType === resourceType);
  await q.query(
    `insert into metric_counter_reading (storage_id, resource_type, resource_id, read_at, counters)
     select $1, $2, r.id, r.at, r.counters
     from unnest($3::text[], $4::timestamptz[], $5::jsonb[]) as r (id, at, counters)
     where exists (select 1 from storage where id = $1)
     on conflict (storage_id, resource_type, resource_id) do update set read_at = excluded.read_at, counters = excluded.counters
     where metric_counter_reading.read_at < excluded.read_at`,
    [storageId, resourceType, kept.map((r) => r.resourceId), kept.map((r) => new Date(r.at)), kept.map((r) => JSON.stringify(r.values))],
  );
  await q.query('delete from metric_counter_reading where storage_id = $1 and resource_type = $2 and not (resource_id = any($3::text[]))', [
    storageId,
    resourceType,
    kept.map((r) => r.resourceId),
  ]);
}
