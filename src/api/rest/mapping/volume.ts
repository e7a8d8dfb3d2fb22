// A volume as Delfin's VolumeRespSpec.
import type { VolumeView } from '../../../db/stores/volume-store.js';
import { bytes, compact, delfinEnum, iso } from './values.js';

export function toDelfinVolume(v: VolumeView) {
  return compact({
    id: v.id,
    name: v.name,
    description: v.description,
    status: delfinEnum(v.status, ['available', 'error']),
    storage_id: v.storageId,
    native_volume_id: v.nativeVolumeId,
    native_storage_pool_id: v.nativeStoragePoolId,
    wwn: v.wwn,
    type: delfinEnum(v.type, ['thick', 'thin']),
    total_capacity: bytes(v.totalCapacity),
    used_capacity: bytes(v.usedCapacity),
    free_capacity: bytes(v.freeCapacity),
    compressed: v.compressed,
    deduplicated: v.deduplicated,
    created_at: iso(v.createdAt),
    updated_at: iso(v.updatedAt),
  });
}
