// The optional inventory calls (disks, controllers, ports), typed here only as far as the kit
// needs them: a driver may list them as an array or as pages, like pools or like volumes.
import type { Page, StorageDriver } from '../driver.js';

export interface InventoryItem {
  [field: string]: unknown;
}

export type InventoryListing = Promise<InventoryItem[]> | AsyncIterable<Page<InventoryItem>>;

/** A driver, seen with the optional listing methods it may have. */
export type DriverWithInventory = StorageDriver & {
  listDisks?(): InventoryListing;
  listControllers?(): InventoryListing;
  listPorts?(): InventoryListing;
};

export interface InventoryKind {
  call: 'listDisks' | 'listControllers' | 'listPorts';
  noun: string;
  idField: string;
}

export const INVENTORY_KINDS: readonly InventoryKind[] = [
  { call: 'listDisks', noun: 'disk', idField: 'nativeDiskId' },
  { call: 'listControllers', noun: 'controller', idField: 'nativeControllerId' },
  { call: 'listPorts', noun: 'port', idField: 'nativePortId' },
];
