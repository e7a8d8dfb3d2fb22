// The inventory as Prometheus families: capacities of storages and pools (and of volumes and
// disks when the policy asks), resource counts, status and last sync, with the labels the
// performance series use, so a capacity and a performance series of one resource join.
import type { Queryable } from '../db/sql.js';
import { STORAGE_STATUSES } from '../db/entities/enums.js';
import { resourceCounts, resourceFigures, storageFigures, type CapacityResource, type ResourceFigures, type StorageFigures } from '../db/stores/inventory-figures-store.js';
import type { Family, Sample } from './exposition.js';
import { resourceTypeLabel } from './prometheus-names.js';

export interface InventoryOptions {
  volumes: boolean;
  disks: boolean;
}

/** Resource types counted by delfin_resources (every one for every storage, 0 included). */
const COUNTED = ['STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT'];

type StorageLabels = { storage_id: string; storage_name: string; serial_number: string };

const storageLabels = (s: StorageFigures): StorageLabels => ({ storage_id: s.id, storage_name: s.name, serial_number: s.serialNumber });

export async function inventoryFamilies(q: Queryable, opts: InventoryOptions): Promise<Family[]> {
  const types: CapacityResource[] = ['STORAGE_POOL', ...(opts.volumes ? (['VOLUME'] as const) : []), ...(opts.disks ? (['DISK'] as const) : [])];
  const [storages, counts, ...resources] = await Promise.all([storageFigures(q), resourceCounts(q), ...types.map((t) => resourceFigures(q, t))]);
  const byId = new Map(storages.map((s) => [s.id, storageLabels(s)]));
  const total: Sample[] = [];
  const used: Sample[] = [];
  const free: Sample[] = [];
  for (const s of storages) {
    const labels = { ...byId.get(s.id)!, resource_type: 'storage', resource_id: s.serialNumber, resource_name: s.name };
    total.push({ labels, value: Number(s.totalCapacity) });
    used.push({ labels, value: Number(s.usedCapacity) });
    free.push({ labels, value: Number(s.freeCapacity) });
  }
  types.forEach((type, i) => addResources(resources[i]!, type, byId, total, used, free));
  return [
    { name: 'delfin_total_capacity_bytes', help: 'Total capacity of a storage, pool, volume or disk, as the last sync found it', type: 'gauge', samples: total },
    { name: 'delfin_used_capacity_bytes', help: 'Used capacity of a storage, pool or volume, as the last sync found it', type: 'gauge', samples: used },
    { name: 'delfin_free_capacity_bytes', help: 'Free capacity of a storage, pool or volume, as the last sync found it', type: 'gauge', samples: free },
    { name: 'delfin_resources', help: 'Resources of a storage by type, as the last sync found them', type: 'gauge', samples: countSamples(storages, counts, byId) },
    { name: 'delfin_storage_status', help: 'A storage\'s status: 1 on its current status, 0 on the others', type: 'gauge', samples: statusSamples(storages, byId) },
    {
      name: 'delfin_last_sync_timestamp_seconds',
      help: 'When a storage\'s last successful sync ended (seconds since the epoch)',
      type: 'gauge',
      samples: storages.filter((s) => s.lastSyncedAt).map((s) => ({ labels: byId.get(s.id)!, value: s.lastSyncedAt!.getTime() / 1000 })),
    },
  ];
}

function addResources(rows: ResourceFigures[], type: CapacityResource, byId: Map<string, StorageLabels>, total: Sample[], used: Sample[], free: Sample[]): void {
  const resourceType = resourceTypeLabel(type);
  for (const r of rows) {
    const storage = byId.get(r.storageId);
    if (!storage) continue; // registered after the storages were read: its next scrape has it
    const labels = { ...storage, resource_type: resourceType, resource_id: r.nativeId, resource_name: r.name };
    total.push({ labels, value: Number(r.totalCapacity) });
    if (r.usedCapacity !== null) used.push({ labels, value: Number(r.usedCapacity) });
    if (r.freeCapacity !== null) free.push({ labels, value: Number(r.freeCapacity) });
  }
}

function countSamples(storages: StorageFigures[], counts: { storageId: string; resourceType: string; count: number }[], byId: Map<string, StorageLabels>): Sample[] {
  const found = new Map(counts.map((c) => [`${c.storageId}|${c.resourceType}`, c.count]));
  return storages.flatMap((s) =>
    COUNTED.map((type) => ({ labels: { ...byId.get(s.id)!, resource_type: resourceTypeLabel(type) }, value: found.get(`${s.id}|${type}`) ?? 0 })),
  );
}

function statusSamples(storages: StorageFigures[], byId: Map<string, StorageLabels>): Sample[] {
  return storages.flatMap((s) =>
    STORAGE_STATUSES.map((status) => ({ labels: { ...byId.get(s.id)!, status }, value: s.status === status ? 1 : 0 })),
  );
}
