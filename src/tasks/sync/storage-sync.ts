// The array itself: its state and capacities follow the device; its name and description
// belong to the operator and are left alone.
import type { DeviceStorage } from '../../drivers/driver.js';
import { DriverError } from '../../drivers/driver-error.js';
import type { Queryable } from '../../db/sql.js';

export async function syncStorageRow(q: Queryable, storageId: string, d: DeviceStorage): Promise<void> {
  const { rows } = await q.query('select serial_number from storage where id = $1', [storageId]);
  const expected = rows[0]?.serial_number as string | undefined;
  if (expected && expected !== d.serialNumber) {
    throw new DriverError(
      `the device at this address now reports serial number ${d.serialNumber}, but the storage was registered as ${expected}; update its access info`,
      'storage',
    );
  }
  const set = DEVICE_STATE_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ');
  await q.query(`update storage set ${set}, updated_at = now() where id = $1`, [storageId, ...deviceState(d)]);
}

/** The storage columns that follow the device, in the order of `deviceState`. */
export const DEVICE_STATE_COLUMNS = [
  'firmware_version', 'location', 'status', 'total_capacity', 'used_capacity', 'free_capacity', 'raw_capacity', 'subscribed_capacity',
] as const;

/** The device's values for DEVICE_STATE_COLUMNS (capacities as decimal strings). */
export function deviceState(d: DeviceStorage): Array<string | null> {
  return [
    d.firmwareVersion ?? null,
    d.location ?? null,
    d.status,
    d.totalCapacity.toString(),
    d.usedCapacity.toString(),
    d.freeCapacity.toString(),
    d.rawCapacity?.toString() ?? null,
    d.subscribedCapacity?.toString() ?? null,
  ];
}

/** The storage's sync state follows its sync tasks. */
export async function setSyncState(
  q: Queryable,
  storageId: string,
  state: 'SYNCING' | 'SYNCED' | 'FAILED',
): Promise<void> {
  await q.query(
    `update storage set sync_state = $2, last_synced_at = case when $2 = 'SYNCED' then now() else last_synced_at end,
       updated_at = now() where id = $1`,
    [storageId, state],
  );
}

/**
 * After a sync is cancelled: the storage shows the state the last ended sync left, unless
 * another sync of it is still queued or running.
 */
export async function restoreSyncState(q: Queryable, storageId: string): Promise<void> {
  await q.query(
    `update storage set sync_state = case when last_synced_at is null then 'NEVER_SYNCED' else 'SYNCED' end,
       updated_at = now()
     where id = $1 and sync_state = 'SYNCING'
       and not exists (select 1 from task where storage_id = $1 and kind = 'SYNC_RESOURCES' and status in ('QUEUED', 'RUNNING'))`,
    [storageId],
  );
}
