// What the exporters label samples with: the storage's name and serial number, and each
// resource's name by its native id (from the last sync; a resource not synced yet has none).
import type { Queryable } from '../../../db/sql.js';
import type { ResourceType } from '../../../drivers/driver.js';
import { poolNames } from '../../../db/stores/pool-store.js';
import { volumeNames } from '../../../db/stores/volume-store.js';
import { diskNames } from '../../../db/stores/disk-store.js';
import { controllerNames } from '../../../db/stores/controller-store.js';
import { portNames } from '../../../db/stores/port-store.js';

const NAMES: Record<Exclude<ResourceType, 'STORAGE'>, (q: Queryable, storageId: string) => Promise<Map<string, string>>> = {
  STORAGE_POOL: poolNames,
  VOLUME: volumeNames,
  DISK: diskNames,
  CONTROLLER: controllerNames,
  PORT: portNames,
};

export interface StorageLabels {
  name: string;
  serialNumber: string;
}

export async function storageLabels(q: Queryable, storageId: string): Promise<StorageLabels | undefined> {
  const { rows } = await q.query('select name, serial_number from storage where id = $1 and not deleting', [storageId]);
  return rows[0] ? { name: rows[0].name as string, serialNumber: rows[0].serial_number as string } : undefined;
}

/** Native id → name of the storage's resources of one type (the array: its serial number → its name). */
export async function resourceNames(q: Queryable, storageId: string, type: ResourceType, storage: StorageLabels): Promise<Map<string, string>> {
  if (type === 'STORAGE') return new Map([[storage.serialNumber, storage.name]]);
  return NAMES[type](q, storageId);
}
