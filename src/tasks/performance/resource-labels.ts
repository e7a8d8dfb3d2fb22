// What the exporters label samples with: the storage's name and serial number, and each
// resource's name by its native id (from the last sync; a resource not synced yet has none).
import type { Queryable } from '../../db/sql.js';
import type { ResourceType } from '../../drivers/driver.js';

export interface StorageLabels {
  name: string;
  serialNumber: string;
}

export async function storageLabels(q: Queryable, storageId: string): Promise<StorageLabels | undefined> {
  const { rows } = await q.query('select name, serial_number from storage where id = $1 and not deleting', [storageId]);
  return rows[0] ? { name: rows[0].name as string, serialNumber: rows[0].serial_number as string } : undefined;
}

const NAMES: Record<Exclude<ResourceType, 'STORAGE'>, string> = {
  STORAGE_POOL: 'select native_storage_pool_id as id, name from storage_pool where storage_id = $1',
  VOLUME: 'select native_volume_id as id, name from volume where storage_id = $1',
};

export async function resourceNames(q: Queryable, storageId: string, type: ResourceType, storage: StorageLabels): Promise<Map<string, string>> {
  if (type === 'STORAGE') return new Map([[storage.serialNumber, storage.name]]);
  const { rows } = await q.query(NAMES[type], [storageId]);
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}
