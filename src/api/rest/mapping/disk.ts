// A disk as Delfin's DiskSpec. Delfin's `speed` is in RPM and ours an interface speed: left out.
import type { DiskView } from '../../../db/stores/disk-store.js';
import { bytes, compact, delfinEnum } from './values.js';

export function toDelfinDisk(d: DiskView) {
  return compact({
    id: d.id,
    name: d.name,
    storage_id: d.storageId,
    native_disk_id: d.nativeDiskId,
    serial_number: d.serialNumber,
    manufacturer: d.manufacturer,
    model: d.model,
    firmware: d.firmware,
    capacity: bytes(d.capacity),
    location: d.location,
    status: delfinEnum(d.status, ['normal', 'offline', 'abnormal']),
    // Delfin's physical types are interfaces (sata, sas, nl-sas) or ssd; of ours only SSD maps.
    physical_type: delfinEnum<'ssd' | 'unknown'>(d.mediaType, ['ssd', 'unknown'], { HDD: 'unknown', SCM: 'unknown' }),
  });
}
