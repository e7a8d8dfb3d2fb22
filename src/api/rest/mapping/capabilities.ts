// What a storage's driver can do, as Delfin's StorageCapabilitiesResponse: its metrics by
// resource, in Delfin's resource names.
import type { StorageView } from '../../../db/stores/storage-store.js';
import type { Capabilities } from '../../services/storage-capabilities.js';

const RESOURCE_NAMES: Record<string, string> = { STORAGE: 'storage', STORAGE_POOL: 'storagePool', VOLUME: 'volume', DISK: 'disk', CONTROLLER: 'controller', PORT: 'port' };

export function toDelfinCapabilities(storage: StorageView, caps: Capabilities, isHistoric: boolean) {
  const resourceMetrics = Object.fromEntries(caps.metrics.map(({ resourceType, metrics, units }) => [
    RESOURCE_NAMES[resourceType] ?? resourceType,
    metrics.map((name, i) => ({ [name]: { unit: units[i] } })),
  ]));
  return { metadata: { vendor: storage.vendor, model: storage.model }, spec: { is_historic: isHistoric, resource_metrics: resourceMetrics } };
}
