// What the exporters read of the inventory at scrape time: each storage's capacities, status and
// last sync, its pools' (and when asked, volumes' and disks') capacities, and how many resources
// of each type it has. Read from PostgreSQL, so every api replica answers the same figures, and
// a storage being deleted is already gone from them.
import type { Queryable } from '../sql.js';

export interface StorageFigures {
  id: string;
  name: string;
  serialNumber: string;
  status: string;
  totalCapacity: string;
  usedCapacity: string;
  freeCapacity: string;
  lastSyncedAt: Date | null;
  /** Changes with every write of the storage row, a sync's end included (the resource counts' cache key). */
  version: string;
}

export interface ResourceFigures {
  storageId: string;
  nativeId: string;
  name: string;
  totalCapacity: string;
  usedCapacity: string | null;
  freeCapacity: string | null;
}

export interface ResourceCount {
  storageId: string;
  resourceType: string;
  count: number;
}

const STORAGE_FIGURES = `select id, name, serial_number as "serialNumber", status, total_capacity::text as "totalCapacity",
    used_capacity::text as "usedCapacity", free_capacity::text as "freeCapacity", last_synced_at as "lastSyncedAt",
    updated_at::text as version
  from storage where not deleting`;

export async function storageFigures(q: Queryable): Promise<StorageFigures[]> {
  const { rows } = await q.query(`${STORAGE_FIGURES} order by id`);
  return rows as StorageFigures[];
}

/** One storage's figures and its resources by type (undefined when it is gone or going), in one statement. */
export async function storageInventoryOf(q: Queryable, storageId: string): Promise<{ figures: StorageFigures; resources: Record<string, number> } | undefined> {
  const counts = COUNTED_TABLES.map(([type, table]) => `'${type}', (select count(*) from ${table} where storage_id = $1)`).join(', ');
  const { rows } = await q.query(`${STORAGE_FIGURES.replace(/^select /, `select json_build_object(${counts}) as resources, `)} and id = $1`, [storageId]);
  if (!rows[0]) return undefined;
  const { resources, ...figures } = rows[0];
  return { figures: figures as StorageFigures, resources: resources as Record<string, number> };
}

/** Resource tables whose capacities can be exported, with the columns that hold them. */
const CAPACITY_TABLES = {
  STORAGE_POOL: { table: 'storage_pool', nativeId: 'native_storage_pool_id', total: 'total_capacity', used: 'used_capacity', free: 'free_capacity' },
  VOLUME: { table: 'volume', nativeId: 'native_volume_id', total: 'total_capacity', used: 'used_capacity', free: 'free_capacity' },
  DISK: { table: 'disk', nativeId: 'native_disk_id', total: 'capacity', used: null, free: null },
} as const;

export type CapacityResource = keyof typeof CAPACITY_TABLES;

/** Capacities of one resource type of these storages. */
export async function resourceFigures(q: Queryable, type: CapacityResource, storageIds: readonly string[]): Promise<ResourceFigures[]> {
  const t = CAPACITY_TABLES[type];
  const { rows } = await q.query(
    `select storage_id as "storageId", ${t.nativeId} as "nativeId", name, ${t.total}::text as "totalCapacity",
       ${t.used ? `${t.used}::text` : 'null'} as "usedCapacity", ${t.free ? `${t.free}::text` : 'null'} as "freeCapacity"
     from ${t.table} where storage_id = any($1::uuid[]) order by storage_id, ${t.nativeId}`,
    [storageIds],
  );
  return rows as ResourceFigures[];
}

const COUNTED_TABLES = [['STORAGE_POOL', 'storage_pool'], ['VOLUME', 'volume'], ['DISK', 'disk'], ['CONTROLLER', 'controller'], ['PORT', 'port']] as const;

/** Resources of these storages by type (index-only counts on each table's (storage_id, id) index). */
export async function resourceCounts(q: Queryable, storageIds: readonly string[]): Promise<ResourceCount[]> {
  const { rows } = await q.query(
    COUNTED_TABLES.map(
      ([type, table]) => `select storage_id as "storageId", '${type}' as "resourceType", count(*)::int as count from ${table} where storage_id = any($1::uuid[]) group by storage_id`,
    ).join(' union all '),
    [storageIds],
  );
  return rows as ResourceCount[];
}
