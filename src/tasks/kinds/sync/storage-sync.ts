// The array itself: its state and capacities follow the device; its name and description
// belong to the operator and are left alone.
import type { DeviceStorage } from '../../../drivers/driver.js';
import { DriverError } from '../../../drivers/driver-error.js';
import type { Queryable } from '../../../db/sql.js';
import { updateDeviceState } from '../../../db/stores/storage-store.js';

export async function syncStorageRow(q: Queryable, storageId: string, d: DeviceStorage): Promise<void> {
  const { registeredAs } = await updateDeviceState(q, storageId, d);
  if (registeredAs && registeredAs !== d.serialNumber) {
    throw new DriverError(
      `the device at this address now reports serial number ${d.serialNumber}, but the storage was registered as ${registeredAs}; update its access info`,
      'storage',
    );
  }
}
