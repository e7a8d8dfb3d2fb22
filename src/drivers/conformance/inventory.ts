// The optional inventory calls (disks, controllers, ports). The interface pages them like
// volumes; the kit also accepts a plain array (a promise of one), so a driver that got the
// shape wrong is reported rather than crashing the run.
import type { ResourceType, StorageDriver } from '../driver.js';

/** One disk, controller or port, seen as the fields the checks read. */
export type InventoryItem = Record<string, unknown>;

export interface InventoryKind {
  call: 'listDisks' | 'listControllers' | 'listPorts';
  noun: string;
  idField: string;
  /** Its resource type in capabilities().metrics and collectPerfMetrics. */
  resourceType: ResourceType;
}

export const INVENTORY_KINDS: readonly InventoryKind[] = [
  { call: 'listDisks', noun: 'disk', idField: 'nativeDiskId', resourceType: 'DISK' },
  { call: 'listControllers', noun: 'controller', idField: 'nativeControllerId', resourceType: 'CONTROLLER' },
  { call: 'listPorts', noun: 'port', idField: 'nativePortId', resourceType: 'PORT' },
];

/** The listing method of `kind`, bound to the driver, or undefined when the driver has none. */
export function inventoryMethod(driver: StorageDriver, kind: InventoryKind): (() => unknown) | undefined {
  const method = (driver as unknown as Record<string, unknown>)[kind.call];
  return typeof method === 'function' ? () => (method as () => unknown).call(driver) : undefined;
}
