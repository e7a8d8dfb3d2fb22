// Redfish `Status` (Health and State) to our statuses.
import type { HealthStatus, StorageStatus, VolumeStatus } from '../driver.js';
import type { Json } from './redfish-client.js';

const OFFLINE_STATES = new Set(['Absent', 'Disabled', 'UnavailableOffline', 'StandbyOffline', 'Deferring', 'Quiesced']);

function statusOf(resource: Json): { health: string | null; state: string | null } {
  const s = (resource.Status ?? {}) as Json;
  return { health: typeof s.Health === 'string' ? s.Health : null, state: typeof s.State === 'string' ? s.State : null };
}

/** State Absent/Disabled/…Offline: OFFLINE; Health OK: NORMAL, Warning: DEGRADED, Critical: ABNORMAL; none: UNKNOWN. */
export function storageStatus(resource: Json): StorageStatus {
  const { health, state } = statusOf(resource);
  if (state && OFFLINE_STATES.has(state)) return 'OFFLINE';
  if (health === 'OK') return 'NORMAL';
  if (health === 'Warning') return 'DEGRADED';
  if (health === 'Critical') return 'ABNORMAL';
  return 'UNKNOWN';
}

/** As storageStatus, with Warning and Critical both ABNORMAL (HealthStatus has no DEGRADED). */
export function healthStatus(resource: Json): HealthStatus {
  const s = storageStatus(resource);
  return s === 'DEGRADED' ? 'ABNORMAL' : s;
}

/** ERROR when offline or Critical; AVAILABLE otherwise. */
export function volumeStatus(resource: Json): VolumeStatus {
  const s = storageStatus(resource);
  return s === 'OFFLINE' || s === 'ABNORMAL' ? 'ERROR' : 'AVAILABLE';
}
