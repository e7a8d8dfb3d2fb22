// Resource counts per storage (delfin_resources), recounted only for the storages whose row
// changed since they were counted: a sync writes its storage row when it ends, so a scrape at
// 1 000 storages and a million volumes counts the volumes of the few storages synced since the
// last scrape, not all of them. A sync still running shows its counts when it ends.
import type { Queryable } from '../db/sql.js';
import { resourceCounts, type StorageFigures } from '../db/stores/inventory-figures-store.js';

interface Counted {
  version: string;
  counts: Map<string, number>;
}

export class ResourceCountCache {
  private readonly known = new Map<string, Counted>();

  /** Storage id → resource type → count, for these storages (read when they changed). */
  async countsOf(q: Queryable, storages: readonly StorageFigures[]): Promise<Map<string, Map<string, number>>> {
    const stale = storages.filter((s) => this.known.get(s.id)?.version !== s.version);
    if (stale.length > 0) {
      const fresh = new Map(stale.map((s) => [s.id, { version: s.version, counts: new Map<string, number>() }]));
      for (const row of await resourceCounts(q, stale.map((s) => s.id))) fresh.get(row.storageId)?.counts.set(row.resourceType, row.count);
      for (const [id, counted] of fresh) this.known.set(id, counted);
    }
    const current = new Set(storages.map((s) => s.id));
    for (const id of this.known.keys()) if (!current.has(id)) this.known.delete(id); // deleted storages
    return new Map(storages.map((s) => [s.id, this.known.get(s.id)!.counts]));
  }
}
