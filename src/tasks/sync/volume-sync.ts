// Volumes: an array can have 100 000, so they are diffed and written batch by batch, each batch
// in the transaction of its task step (a crash or a cancel leaves every committed batch
// consistent). Only the native ids seen so far stay in memory; deletions wait for the complete
// listing, so a failed listing never deletes what it did not reach.
import type { DeviceVolume } from '../../drivers/driver.js';
import type { Queryable } from '../../db/sql.js';
import { classifyResources } from './classify.js';
import { sameAsStored, VOLUMES, type StoredRow } from './resource-table.js';
import { deleteMissing, readStored, upsert } from './resource-writer.js';

export interface BatchCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export class VolumeSync {
  private readonly seen = new Set<string>();
  private pending: string[] = [];

  constructor(private readonly storageId: string) {}

  /** Volumes of the listing written (or found unchanged) so far. */
  get processed(): number {
    return this.seen.size + this.pending.length;
  }

  /** Diffs one batch of the device's listing against the database and writes the difference. */
  async writeBatch(q: Queryable, items: DeviceVolume[]): Promise<BatchCounts> {
    const fresh = items.filter((v) => !this.seen.has(v.nativeVolumeId));
    this.pending = fresh.map(VOLUMES.nativeId);
    const stored = await readStored(q, VOLUMES, this.storageId, this.pending);
    const diff = classifyResources<DeviceVolume, StoredRow>(fresh, stored, {
      deviceKey: VOLUMES.nativeId,
      storedKey: (s) => s.native_id,
      same: (d, s) => sameAsStored(VOLUMES, d, s),
      deleteMissing: false,
    });
    await upsert(q, VOLUMES, this.storageId, [...diff.added, ...diff.updated.map((u) => u.device)]);
    return { added: diff.added.length, updated: diff.updated.length, unchanged: diff.unchanged };
  }

  /** The batch's transaction committed: its volumes count as seen. */
  commit(): void {
    for (const id of this.pending) this.seen.add(id);
    this.pending = [];
  }

  /** After the whole listing: removes stored volumes the device no longer has. */
  deleteMissing(q: Queryable): Promise<number> {
    return deleteMissing(q, VOLUMES, this.storageId, [...this.seen]);
  }
}
