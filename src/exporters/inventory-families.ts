// The inventory as Prometheus families: capacities of storages and pools (and of volumes and
// disks when the policy asks), resource counts, status and last sync, with the labels the
// performance series use, so a capacity and a performance series of one resource join.
import type { Queryable } from '../db/sql.js';
import { STORAGE_STATUSES } from '../db/entities/enums.js';
import { resourceFigures, storageFigures, type CapacityResource, type ResourceFigures } from '../db/stores/inventory-figures-store.js';
import { LabelText, type Family, type Sample } from './exposition.js';
import { resourceTypeLabel } from './prometheus-names.js';
import type { ResourceCountCache } from './resource-count-cache.js';

export interface InventoryOptions {
  volumes: boolean;
  disks: boolean;
}

/** Resource types counted by delfin_resources (every one for every storage, 0 included). */
const COUNTED = ['STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT'];

interface Capacities {
  total: Sample[];
  used: Sample[];
  free: Sample[];
}

export async function inventoryFamilies(q: Queryable, opts: InventoryOptions, counts: ResourceCountCache): Promise<Family[]> {
  const types: CapacityResource[] = ['STORAGE_POOL', ...(opts.volumes ? (['VOLUME'] as const) : []), ...(opts.disks ? (['DISK'] as const) : [])];
  const [storages, ...resources] = await Promise.all([storageFigures(q), ...types.map((t) => resourceFigures(q, t))]);
  const counted = await counts.countsOf(q, storages);
  // A storage's three labels, rendered once for all its series.
  const labelsOf = new Map(storages.map((s) => [s.id, LabelText.of({ storage_id: s.id, storage_name: s.name, serial_number: s.serialNumber })]));
  const c: Capacities = { total: [], used: [], free: [] };
  const resourceCount: Sample[] = [];
  const status: Sample[] = [];
  const lastSync: Sample[] = [];
  for (const s of storages) {
    const labels = labelsOf.get(s.id)!;
    const own = labels.with({ resource_type: 'storage', resource_id: s.serialNumber, resource_name: s.name });
    c.total.push({ labels: own, value: Number(s.totalCapacity) });
    c.used.push({ labels: own, value: Number(s.usedCapacity) });
    c.free.push({ labels: own, value: Number(s.freeCapacity) });
    const found = counted.get(s.id);
    for (const type of COUNTED) resourceCount.push({ labels: labels.with({ resource_type: resourceTypeLabel(type) }), value: found?.get(type) ?? 0 });
    for (const st of STORAGE_STATUSES) status.push({ labels: labels.with({ status: st }), value: s.status === st ? 1 : 0 });
    if (s.lastSyncedAt) lastSync.push({ labels, value: s.lastSyncedAt.getTime() / 1000 });
  }
  types.forEach((type, i) => addResources(resources[i]!, type, labelsOf, c));
  return [
    { name: 'delfin_total_capacity_bytes', help: 'Total capacity of a storage, pool, volume or disk, as the last sync found it', type: 'gauge', samples: c.total },
    { name: 'delfin_used_capacity_bytes', help: 'Used capacity of a storage, pool or volume, as the last sync found it', type: 'gauge', samples: c.used },
    { name: 'delfin_free_capacity_bytes', help: 'Free capacity of a storage, pool or volume, as the last sync found it', type: 'gauge', samples: c.free },
    { name: 'delfin_resources', help: 'Resources of a storage by type, as its last sync left them', type: 'gauge', samples: resourceCount },
    { name: 'delfin_storage_status', help: "A storage's status: 1 on its current status, 0 on the others", type: 'gauge', samples: status },
    { name: 'delfin_last_sync_timestamp_seconds', help: "When a storage's last successful sync ended (seconds since the epoch)", type: 'gauge', samples: lastSync },
  ];
}

function addResources(rows: ResourceFigures[], type: CapacityResource, labelsOf: Map<string, LabelText>, c: Capacities): void {
  const resourceType = resourceTypeLabel(type);
  for (const r of rows) {
    const storage = labelsOf.get(r.storageId);
    if (!storage) continue; // registered after the storages were read: its next scrape has it
    const labels = storage.with({ resource_type: resourceType, resource_id: r.nativeId, resource_name: r.name });
    c.total.push({ labels, value: Number(r.totalCapacity) });
    if (r.usedCapacity !== null) c.used.push({ labels, value: Number(r.usedCapacity) });
    if (r.freeCapacity !== null) c.free.push({ labels, value: Number(r.freeCapacity) });
  }
}
