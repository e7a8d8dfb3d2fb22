// The disk table's store: a sync writes a storage's disks in bulk (resource-writer.ts), the API
// reads them in pages.
import { DISKS } from './resource-table.js';
import type { Queryable } from '../sql.js';
import { childRows } from './row-views.js';


/** A disk as the API shows it. */
export interface DiskView {
  id: string;
  storageId: string;
  nativeDiskId: string;
  name: string;
  status: string;
  mediaType: string;
  capacity: string;
  manufacturer: string | null;
  model: string | null;
  serialNumber: string | null;
  firmware: string | null;
  speedGbps: number | null;
  location: string | null;
}

const DISK_FIELDS = [
  'id', 'storageId', 'nativeDiskId', 'name', 'status', 'mediaType', 'capacity', 'manufacturer', 'model',
  'serialNumber', 'firmware', 'speedGbps', 'location',
] as const satisfies ReadonlyArray<keyof DiskView>;

/** Pages of disks, of one storage or of all, by id, and their counts. */
export const diskRows = childRows<DiskView>('disk', DISK_FIELDS);

/** Native id → name of the storage's disks (the exporters' labels). */
export async function diskNames(q: Queryable, storageId: string): Promise<Map<string, string>> {
  const { rows } = await q.query('select native_disk_id as id, name from disk where storage_id = $1', [storageId]);
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}
