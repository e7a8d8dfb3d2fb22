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

export async function storageFigures(q: Queryable): Promise<StorageFigures[]> {
  const { rows } = await q.query(
    `select id, name, serial_number as "serialNumber", status, total_capacity::text as "totalCapacity",
       used_capacity::text as "usedCapacity", free_capacity::text as "freeCapacity", last_synced_at as "lastSyncedAt"
     from storage where not deleting order by id`,
  );
  return rows as StorageFigures[];
}

/** Resource tables whose capacities can be exported, with the columns that hold them. */
const CAPACITY_TABLES = {
  STORAGE_POOL: { table: 'storage_pool', nativeId: 'native_storage_pool_id', total: 'total_capacity', used: 'used_capacity', free: 'free_capacity' },
  VOLUME: { table: 'volume', nativeId: 'native_volume_id', total: 'total_capacity', used: 'used_capacity', free: 'free_capacity' },
  DISK: { table: 'disk', nativeId: 'native_disk_id', total: 'capacity', used: null, free: null },
} as const;

export type CapacityResource = keyof typeof CAPACITY_TABLES;

export async function resourceFigures(q: Queryable, type: CapacityResource): Promise<ResourceFigures[]> {
  const t = CAPACITY_TABLES[type];
  const { rows } = await q.query(
    `select r.storage_id as "storageId", r.${t.nativeId} as "nativeId", r.name, r.${t.total}::text as "totalCapacity",
       ${t.used ? `r.${t.used}::text` : 'null'} as "usedCapacity", ${t.free ? `r.${t.free}::text` : 'null'} as "freeCapacity"
     from ${t.table} r join storage s on s.id = r.storage_id and not s.deleting
     order by r.storage_id, r.${t.nativeId}`,
  );
  return rows as ResourceFigures[];
}

/** Resources per storage and type (index-only counts on each table's storage_id index). */
export async function resourceCounts(q: Queryable): Promise<ResourceCount[]> {
  const { rows } = await q.query(
    `select storage_id as "storageId", 'STORAGE_POOL' as "resourceType", count(*)::int as count from storage_pool group by storage_id
     union all select storage_id, 'VOLUME', count(*)::int from volume group by storage_id
     union all select storage_id, 'DISK', count(*)::int from disk group by storage_id
     union all select storage_id, 'CONTROLLER', count(*)::int from controller group by storage_id
     union all select storage_id, 'PORT', count(*)::int from port group by storage_id`,
  );
  return rows as ResourceCount[];
}
