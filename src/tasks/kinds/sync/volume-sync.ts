// Volumes: an array can have 100 000, so the device's listing is diffed page by page and the
// difference is written in bounded batches, each in the transaction of its task step (a crash
// or a cancel leaves every committed batch consistent, and whole pages only). What is stored is
// read once, as one fingerprint per volume: pages whose volumes did not change cost no writes
// at all, and the volumes never listed are, at the end, exactly those to delete. Deletions wait
// for the complete listing, so a failed listing never deletes what it did not reach.
// Memory: one short entry per stored or listed volume, outside the JavaScript heap (IdTable: the
// id's bytes and a number), plus at most one batch of changes: new volumes already encoded as
// COPY's bytes (CopyRows), changed ones as objects (few: an array changes little between syncs).
import type { DeviceVolume } from '../../../drivers/driver.js';
import { IdTable } from '../../../lib/id-table.js';
import type { Queryable, TxClient } from '../../../db/sql.js';
import { fingerprint, VOLUMES } from '../../../db/stores/resource-table.js';
import { deleteVolumesByNativeId, insertEncodedVolumes, newVolumeRows, readVolumeFingerprints, writeVolumes } from '../../../db/stores/volume-store.js';
import type { CopyRows } from '../../../db/stores/copy-rows.js';

/** Marks a stored volume the device listed: it stays (fingerprints are never negative). */
const SEEN = -1;

export class VolumeSync {
  /** native id → fingerprint of the stored volume, or SEEN once the device listed it. */
  private stored = new IdTable();
  /** New volumes, already in COPY's bytes: a batch waits as buffers, not as objects. */
  private added: CopyRows<DeviceVolume>;
  private updated: DeviceVolume[] = [];
  private listed = 0;

  constructor(private readonly storageId: string) {
    this.added = newVolumeRows(storageId);
  }

  /** Reads what is stored, before the first page. */
  async load(client: TxClient): Promise<void> {
    this.stored = await readVolumeFingerprints(client, this.storageId);
  }

  /** Volumes of the listing diffed so far. */
  get processed(): number {
    return this.listed;
  }

  /** Changes waiting to be written. */
  get pendingCount(): number {
    return this.added.count + this.updated.length;
  }

  /**
   * Diffs one page of the device's listing against what is stored (no database work): the
   * diff of classify.ts, written out for the stored fingerprints, since it runs for every
   * volume of every sync (no per-page map, set or entry objects).
   */
  classify(items: DeviceVolume[]): void {
    const { added, updated } = this;
    const stored = this.stored;
    for (const v of items) {
      const id = v.nativeVolumeId;
      const i = stored.indexOf(id);
      if (i < 0) {
        stored.add(id, SEEN);
        added.add(v);
      } else {
        const f = stored.valueAt(i);
        if (f === SEEN) continue; // a volume listed twice counts once
        stored.setValueAt(i, SEEN);
        if (fingerprint(VOLUMES, v) !== f) updated.push(v);
      }
      this.listed++;
    }
  }

  /**
   * Writes the pending changes (new volumes by COPY, changed ones by one multi-row upsert) in
   * the caller's transaction; returns what was written, for the task's SyncStats.
   */
  async flush(q: TxClient): Promise<{ added: number; updated: number }> {
    const added = this.added.count;
    const updated = this.updated;
    this.updated = [];
    await insertEncodedVolumes(q, this.added);
    await writeVolumes(q, this.storageId, updated);
    return { added, updated: updated.length };
  }

  /** After the whole listing: removes the stored volumes the device did not list. */
  deleteMissing(q: Queryable): Promise<number> {
    return deleteVolumesByNativeId(q, this.storageId, this.stored.idsWhere((f) => f !== SEEN));
  }
}
