// Disks, controllers and ports: at most thousands per array, so like pools each kind's whole
// listing (gathered page by page) is diffed and written in one step.
import type { Queryable } from '../../../db/sql.js';
import type { DeviceController, DeviceDisk, DevicePort, Page } from '../../../drivers/driver.js';
import { CONTROLLERS, DISKS, PORTS, sameAsStored, type ResourceTable, type StoredRow } from '../../../db/stores/resource-table.js';
import { deleteInventory, readStoredInventory, writeInventory } from '../../../db/stores/inventory-store.js';
import { classifyResources } from './classify.js';
import { CONTROLLER_SHAPE, DISK_SHAPE, PORT_SHAPE, pageProblem, refuse, type DeviceShape } from './device-checks.js';

export interface InventoryCounts {
  added: number;
  updated: number;
  deleted: number;
}

/** One kind of hardware: its table, the driver's listing and its names in SyncStats and progress. */
export interface InventoryKind<D> {
  /** The phase of the task, and the plural in messages. */
  phase: 'disks' | 'controllers' | 'ports';
  table: ResourceTable<D>;
  /** What each listed item must look like. */
  shape: DeviceShape;
  stats: { added: StatKey; updated: StatKey; deleted: StatKey };
}

type StatKey =
  | 'disksAdded' | 'disksUpdated' | 'disksDeleted'
  | 'controllersAdded' | 'controllersUpdated' | 'controllersDeleted'
  | 'portsAdded' | 'portsUpdated' | 'portsDeleted';

export const DISK_KIND: InventoryKind<DeviceDisk> = {
  phase: 'disks',
  table: DISKS,
  shape: DISK_SHAPE,
  stats: { added: 'disksAdded', updated: 'disksUpdated', deleted: 'disksDeleted' },
};

export const CONTROLLER_KIND: InventoryKind<DeviceController> = {
  phase: 'controllers',
  table: CONTROLLERS,
  shape: CONTROLLER_SHAPE,
  stats: { added: 'controllersAdded', updated: 'controllersUpdated', deleted: 'controllersDeleted' },
};

export const PORT_KIND: InventoryKind<DevicePort> = {
  phase: 'ports',
  table: PORTS,
  shape: PORT_SHAPE,
  stats: { added: 'portsAdded', updated: 'portsUpdated', deleted: 'portsDeleted' },
};

/**
 * Every item of a paged listing, each page checked against `shape` (a malformed one fails the
 * sync); `beforePage` runs before each page is awaited (cancel checks).
 */
export async function gatherPages<D>(pages: AsyncIterable<Page<D>>, shape: DeviceShape, beforePage: () => void): Promise<D[]> {
  const all: D[] = [];
  beforePage();
  for await (const page of pages) {
    refuse(`${shape.noun}s`, pageProblem(shape, page));
    for (const item of page.items) all.push(item);
    beforePage();
  }
  return all;
}

/** Diffs the device's whole listing of one kind against what is stored and writes the difference. */
export async function syncInventory<D>(q: Queryable, table: ResourceTable<D>, storageId: string, device: D[]): Promise<InventoryCounts> {
  const stored = await readStoredInventory(q, table, storageId);
  const diff = classifyResources<D, StoredRow>(device, stored, {
    deviceKey: table.nativeId,
    storedKey: (s) => s.native_id,
    same: (d, s) => sameAsStored(table, d, s),
    deleteMissing: true,
  });
  await writeInventory(q, table, storageId, [...diff.added, ...diff.updated.map((u) => u.device)]);
  const deleted = await deleteInventory(q, table, diff.deleted.map((s) => s.id));
  return { added: diff.added.length, updated: diff.updated.length, deleted };
}
