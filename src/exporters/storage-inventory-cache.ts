// What /metrics exports of each storage's resources (pool, volume and disk capacities, resource
// counts), kept per storage and read again only when the storage's row changed: a sync writes
// its storage row when it ends (and a rename writes it too), so a scrape at 1 000 storages reads
// the resources of the few storages synced since the last one, not a million volumes, and
// renders their labels once. A sync still running shows its figures when it ends.
import type { Queryable } from '../db/sql.js';
import { resourceCounts, resourceFigures, type CapacityResource, type StorageFigures } from '../db/stores/inventory-figures-store.js';
import { LabelText } from './exposition.js';
import { resourceTypeLabel } from './prometheus-names.js';

export interface ResourceCapacity {
  labels: LabelText;
  total: number;
  used: number | null;
  free: number | null;
}

export interface StorageInventory {
  version: string;
  /** storage_id, storage_name, serial_number. */
  labels: LabelText;
  /** Resource type (STORAGE_POOL, VOLUME, ...) → how many. */
  counts: Map<string, number>;
  capacities: ResourceCapacity[];
}

export class StorageInventoryCache {
  private readonly known = new Map<string, StorageInventory>();

  /** `types`: the resource types whose capacities are exported (the policy's choice, fixed per process). */
  constructor(private readonly types: readonly CapacityResource[]) {}

  /** Each storage's inventory, in the order of `storages` (read for the storages that changed). */
  async of(q: Queryable, storages: readonly StorageFigures[]): Promise<StorageInventory[]> {
    const stale = storages.filter((s) => this.known.get(s.id)?.version !== s.version);
    if (stale.length > 0) await this.read(q, stale);
    const current = new Set(storages.map((s) => s.id));
    for (const id of this.known.keys()) if (!current.has(id)) this.known.delete(id); // deleted storages
    return storages.map((s) => this.known.get(s.id)!);
  }

  private async read(q: Queryable, stale: readonly StorageFigures[]): Promise<void> {
    const ids = stale.map((s) => s.id);
    const [counts, ...figures] = await Promise.all([resourceCounts(q, ids), ...this.types.map((t) => resourceFigures(q, t, ids))]);
    const fresh = new Map(
      stale.map((s) => [
        s.id,
        { version: s.version, labels: LabelText.of({ storage_id: s.id, storage_name: s.name, serial_number: s.serialNumber }), counts: new Map(), capacities: [] } as StorageInventory,
      ]),
    );
    for (const c of counts) fresh.get(c.storageId)?.counts.set(c.resourceType, c.count);
    this.types.forEach((type, i) => {
      const resourceType = resourceTypeLabel(type);
      for (const r of figures[i]!) {
        const inv = fresh.get(r.storageId);
        if (!inv) continue;
        inv.capacities.push({
          labels: inv.labels.with({ resource_type: resourceType, resource_id: r.nativeId, resource_name: r.name }),
          total: Number(r.totalCapacity),
          used: r.usedCapacity === null ? null : Number(r.usedCapacity),
          free: r.freeCapacity === null ? null : Number(r.freeCapacity),
        });
      }
    });
    for (const [id, inv] of fresh) this.known.set(id, inv);
  }
}
