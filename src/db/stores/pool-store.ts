// The storage_pool table's store: a sync writes a storage's pools in bulk (resource-writer.ts,
// one statement per page, never a round trip per row).
import type { DevicePool } from '../../drivers/driver.js';
import type { Queryable } from '../sql.js';
import { POOLS, type StoredRow } from './resource-table.js';
import { deleteByIds, readStored, upsert } from './resource-writer.js';

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
