// A controller as Delfin's ControllerSpec.
import type { ControllerView } from '../../../db/stores/controller-store.js';
import { bytes, compact, delfinEnum } from './values.js';

export function toDelfinController(c: ControllerView) {
  return compact({
    id: c.id,
    name: c.name,
    storage_id: c.storageId,
    native_controller_id: c.nativeControllerId,
    soft_version: c.firmware,
    location: c.location,
    status: delfinEnum(c.status, ['normal', 'offline', 'unknown']),
    memory_size: bytes(c.memoryBytes),
  });
}
