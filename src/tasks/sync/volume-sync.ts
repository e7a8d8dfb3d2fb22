// Volumes: an array can have 100 000, so they are diffed and written page by page, each page in
// its own transaction (a crash or a cancel leaves every committed page consistent), and only
// the native ids seen so far are kept in memory. Deletions wait for the complete listing.
import type { DeviceVolume } from '../../drivers/driver.js';
import type { Queryable, Sql } from '../../db/sql.js';
import { classifyResources } from './classify.js';
import { sameAsStored, VOLUMES, type StoredRow } from './resource-table.js';
import { deleteMissing, readStored, upsert } from './resource-writer.js';

export class VolumeSync {
  private readonly seen = new Set<string>();
  added = 0;
  updated = 0;
  unchanged = 0;

  constructor(
    private readonly sql: Sql,
    private readonly storageId: string,
    private readonly batchSize: number,
  ) {}

  get processed(): number {
    return this.seen.size;
  }

  /** Diffs and writes one page of the device's listing. */
  async writePage(items: DeviceVolume[]): Promise<void> {
    const fresh = items.filter((v) => !this.seen.has(v.nativeVolumeId));
    for (let i = 0; i < fresh.length; i += this.batchSize) {
      await this.sql.tx((q) => this.writeBatch(q, fresh.slice(i, i + this.batchSize)));
    }
    for (const v of fresh) this.seen.add(v.nativeVolumeId);
  }

  private async writeBatch(q: Queryable, batch: DeviceVolume[]): Promise<void> {
    const stored = await readStored(q, VOLUMES, this.storageId, batch.map(VOLUMES.nativeId));
    const diff = classifyResources<DeviceVolume, StoredRow>(batch, stored, {
      deviceKey: VOLUMES.nativeId,
      storedKey: (s) => s.native_id,
      same: (d, s) => sameAsStored(VOLUMES, d, s),
      deleteMissing: false,
    });
    await upsert(q, VOLUMES, this.storageId, [...diff.added, ...diff.updated.map((u) => u.device)]);
    this.added += diff.added.length;
    this.updated += diff.updated.length;
    this.unchanged += diff.unchanged;
  }

  /** After the whole listing: removes stored volumes the device no longer has. */
  async deleteMissing(): Promise<number> {
    return this.sql.tx((q) => deleteMissing(q, VOLUMES, this.storageId, [...this.seen]));
  }
}
