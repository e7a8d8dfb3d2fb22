// A storage's hardware (disks, controllers, ports): tens to thousands of rows, so like pools
// each kind is read whole, diffed and written in one step through the shared bulk writer.
import type { Queryable } from '../sql.js';
import type { ResourceTable, StoredRow } from './resource-table.js';
import { deleteByIds, readStored, upsert } from './resource-writer.js';

/** Every stored row of the kind for the storage, with the columns a sync compares. */
export function readStoredInventory<D>(q: Queryable, t: ResourceTable<D>, storageId: string): Promise<StoredRow[]> {
  return readStored(q, t, storageId);
}

/** Inserts new rows and updates changed ones, in one statement. */
export function writeInventory<D>(q: Queryable, t: ResourceTable<D>, storageId: string, items: D[]): Promise<void> {
  return upsert(q, t, storageId, items);
}

/** Deletes stored rows by row id; returns how many went. */
export function deleteInventory<D>(q: Queryable, t: ResourceTable<D>, ids: string[]): Promise<number> {
  return deleteByIds(q, t, ids);
}
