// The array itself: its state and capacities follow the device; its name and description
// belong to the operator and are left alone.
import type { DeviceStorage } from '../../../drivers/driver.js';
import { DriverError } from '../../../drivers/driver-error.js';
import type { Queryable } from '../../../db/sql.js';
import { serialNumberOf, updateDeviceState } from '../../../db/stores/storage-store.js';

export async function syncStorageRow(q: Queryable, storageId: string, d: DeviceStorage): Promise<void> {
  const expected = await serialNumberOf(q, storageId);
  if (expected && expected !== d.serialNumber) {
    throw new DriverError(
      `the device at this address now reports serial number ${d.serialNumber}, but the storage was registered as ${expected}; update its access info`,
      'storage',
    );
  }
  await updateDeviceState(q, storageId, d);
}
