// A storage as Delfin's StorageBackendResponse.
import type { StorageView } from '../../../db/stores/storage-store.js';
import type { StorageStatus } from '../../../db/entities/enums.js';
import { bytes, compact, iso } from './values.js';

export function toDelfinStorage(s: StorageView) {
  return compact({
    id: s.id,
    name: s.name,
    description: s.description,
    vendor: s.vendor,
    model: s.model,
    // Delfin's statuses: normal, offline, abnormal, degraded, unknown (a free string in the document).
    status: s.status.toLowerCase(),
    firmware: s.firmwareVersion,
    serial_number: s.serialNumber,
    location: s.location,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
    // Delfin's two: SYNCING while a sync is queued or running, else SYNCED (also never synced or failed).
    sync_status: s.syncState === 'SYNCING' ? 'SYNCING' : 'SYNCED',
    total_capacity: bytes(s.totalCapacity),
    used_capacity: bytes(s.usedCapacity),
    free_capacity: bytes(s.freeCapacity),
    raw_capacity: bytes(s.rawCapacity),
    subscribed_capacity: bytes(s.subscribedCapacity),
  });
}

/** Delfin's storage status filter (normal, offline, abnormal) as ours. */
export const storageStatusFilter = (status: string | undefined) => status?.toUpperCase() as StorageStatus | undefined;
