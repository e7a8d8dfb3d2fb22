// Pools: few per array, so the whole listing is diffed and written in one transaction.
import type { DevicePool } from '../../../drivers/driver.js';
import type { Queryable } from '../../../db/sql.js';
import { classifyResources } from './classify.js';
import { POOLS, sameAsStored, type StoredRow } from '../../../db/stores/resource-table.js';
import { deletePools, readStoredPools, writePools } from '../../../db/stores/pool-store.js';

export interface PoolCounts {
  added: number;
  updated: number;
  deleted: number;
}

export async function syncPools(q: Queryable, storageId: string, device: DevicePool[]): Promise<PoolCounts> {
  const stored = await readStoredPools(q, storageId);
  const diff = classifyResources<DevicePool, StoredRow>(device, stored, {
    deviceKey: POOLS.nativeId,
    storedKey: (s) => s.native_id,
    same: (d, s) => sameAsStored(POOLS, d, s),
    deleteMissing: true,
  });
  await writePools(q, storageId, [...diff.added, ...diff.updated.map((u) => u.device)]);
  const deleted = await deletePools(q, diff.deleted.map((s) => s.id));
  return { added: diff.added.length, updated: diff.updated.length, deleted };
}
