// A storage pool as Delfin's StoragePoolSpec.
import type { PoolView } from '../../../db/stores/pool-store.js';
import { bytes, compact, delfinEnum, iso } from './values.js';

export function toDelfinPool(p: PoolView) {
  return compact({
    id: p.id,
    name: p.name,
    storage_id: p.storageId,
    native_storage_pool_id: p.nativeStoragePoolId,
    description: p.description,
    storage_type: delfinEnum(p.storageType, ['block', 'file', 'unified']),
    status: delfinEnum(p.status, ['normal', 'offline', 'abnormal'], { DEGRADED: 'abnormal' }),
    total_capacity: bytes(p.totalCapacity),
    used_capacity: bytes(p.usedCapacity),
    free_capacity: bytes(p.freeCapacity),
    subscribed_capacity: bytes(p.subscribedCapacity),
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  });
}
