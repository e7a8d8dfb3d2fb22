// The inventory as Prometheus families: capacities of storages and pools (and of volumes and
// disks when the policy asks), resource counts, status and last sync, with the labels the
// performance series use, so a capacity and a performance series of one resource join.
import type { Queryable } from '../db/sql.js';
import { STORAGE_STATUSES } from '../db/entities/enums.js';
import { storageFigures, type CapacityResource } from '../db/stores/inventory-figures-store.js';
import type { Family, Sample } from './exposition.js';
import { resourceTypeLabel } from './prometheus-names.js';
import { StorageInventoryCache } from './storage-inventory-cache.js';

export interface InventoryOptions {
  volumes: boolean;
  disks: boolean;
}

/** Resource types counted by delfin_resources (every one for every storage, 0 included). */
const COUNTED = ['STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT'];

export class InventoryFamilies {
  private readonly cache: StorageInventoryCache;

  constructor(opts: InventoryOptions) {
    const types: CapacityResource[] = ['STORAGE_POOL', ...(opts.volumes ? (['VOLUME'] as const) : []), ...(opts.disks ? (['DISK'] as const) : [])];
    this.cache = new StorageInventoryCache(types);
  }

  /** Storages are read at every scrape; their resources when they changed (./storage-inventory-cache.ts). */
  async read(q: Queryable): Promise<Family[]> {
    const storages = await storageFigures(q);
    const inventories = await this.cache.of(q, storages);
    const total: Sample[] = [];
    const used: Sample[] = [];
    const free: Sample[] = [];
    const resources: Sample[] = [];
    const status: Sample[] = [];
    const lastSync: Sample[] = [];
    storages.forEach((s, i) => {
      const inv = inventories[i]!;
      const own = inv.labels.with({ resource_type: 'storage', resource_id: s.serialNumber, resource_name: s.name });
      total.push({ labels: own, value: Number(s.totalCapacity) });
      used.push({ labels: own, value: Number(s.usedCapacity) });
      free.push({ labels: own, value: Number(s.freeCapacity) });
      for (const r of inv.capacities) {
        total.push({ labels: r.labels, value: r.total });
        if (r.used !== null) used.push({ labels: r.labels, value: r.used });
        if (r.free !== null) free.push({ labels: r.labels, value: r.free });
      }
      for (const type of COUNTED) resources.push({ labels: inv.labels.with({ resource_type: resourceTypeLabel(type) }), value: inv.counts.get(type) ?? 0 });
      for (const st of STORAGE_STATUSES) status.push({ labels: inv.labels.with({ status: st }), value: s.status === st ? 1 : 0 });
      if (s.lastSyncedAt) lastSync.push({ labels: inv.labels, value: s.lastSyncedAt.getTime() / 1000 });
    });
    return [
      { name: 'delfin_total_capacity_bytes', help: 'Total capacity of a storage, pool, volume or disk, as the last sync found it', type: 'gauge', samples: total },
      { name: 'delfin_used_capacity_bytes', help: 'Used capacity of a storage, pool or volume, as the last sync found it', type: 'gauge', samples: used },
      { name: 'delfin_free_capacity_bytes', help: 'Free capacity of a storage, pool or volume, as the last sync found it', type: 'gauge', samples: free },
      { name: 'delfin_resources', help: 'Resources of a storage by type, as its last sync left them', type: 'gauge', samples: resources },
      { name: 'delfin_storage_status', help: "A storage's status: 1 on its current status, 0 on the others", type: 'gauge', samples: status },
      { name: 'delfin_last_sync_timestamp_seconds', help: "When a storage's last successful sync ended (seconds since the epoch)", type: 'gauge', samples: lastSync },
    ];
  }
}
