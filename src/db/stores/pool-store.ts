// The storage_pool table's store: a sync writes a storage's pools in bulk (resource-writer.ts,
// one statement per page, never a round trip per row).
import type { DevicePool } from '../../drivers/driver.js';
import type { Queryable } from '../sql.js';
import { POOLS, type StoredRow } from './resource-table.js';
import { deleteByIds, readStored, upsert } from './resource-writer.js';
import { childRows, selectList } from './row-views.js';

/** Every stored pool of the storage, with the columns a sync compares. */
export function readStoredPools(q: Queryable, storageId: string): Promise<StoredRow[]> {
  return readStored(q, POOLS, storageId);
}

/** Inserts new pools and updates changed ones, in one statement. */
export function writePools(q: Queryable, storageId: string, pools: DevicePool[]): Promise<void> {
  return upsert(q, POOLS, storageId, pools);
}

/** Deletes stored pools by row id; returns how many went. */
export function deletePools(q: Queryable, ids: string[]): Promise<number> {
  return deleteByIds(q, POOLS, ids);
}

/** Native id → name of the storage's pools (the exporters' labels). */
export async function poolNames(q: Queryable, storageId: string): Promise<Map<string, string>> {
  const { rows } = await q.query('select native_storage_pool_id as id, name from storage_pool where storage_id = $1', [storageId]);
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}

/** A pool as the API shows it. */
export interface PoolView {
  id: string;
  storageId: string;
  nativeStoragePoolId: string;
  name: string;
  description: string | null;
  storageType: 'BLOCK' | 'FILE' | 'UNIFIED' | null;
  status: string;
  totalCapacity: string;
  usedCapacity: string;
  freeCapacity: string;
  subscribedCapacity: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const POOL_FIELDS = [
  'id', 'storageId', 'nativeStoragePoolId', 'name', 'description', 'storageType', 'status',
  'totalCapacity', 'usedCapacity', 'freeCapacity', 'subscribedCapacity', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof PoolView>;

/** Pages of pools, of one storage or of all, by id, and their counts. */
export const poolRows = childRows<PoolView>('storage_pool', POOL_FIELDS);

/** Pools by (storage, native id), in one query (a page of volumes' pools). */
export async function poolsByNativeId(q: Queryable, keys: ReadonlyArray<{ storageId: string; nativeId: string }>): Promise<PoolView[]> {
  const { rows } = await q.query(
    `select ${selectList(POOL_FIELDS, 'p')} from storage_pool p join unnest($1::uuid[], $2::text[]) as k(storage_id, native_id)
       on p.storage_id = k.storage_id and p.native_storage_pool_id = k.native_id`,
    [keys.map((k) => k.storageId), keys.map((k) => k.nativeId)],
  );
  return rows as PoolView[];
}
