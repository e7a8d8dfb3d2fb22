// Volumes: an array can have 100 000, so they are diffed and written batch by batch, each batch
// in the transaction of its task step (a crash or a cancel leaves every committed batch
// consistent). What is stored is read once, as one fingerprint per volume: a batch whose
// volumes did not change costs no database work at all, and the volumes never seen on the
// device are, at the end, exactly those to delete. Deletions wait for the complete listing, so
// a failed listing never deletes what it did not reach. Memory: one short entry per volume.
import type { DeviceVolume } from '../../drivers/driver.js';
import type { Queryable, TxClient } from '../../db/sql.js';
import { classifyResources } from './classify.js';
import { fingerprint, VOLUMES } from './resource-table.js';
import { deleteByNativeIds, insertNew, readFingerprints, upsert } from './resource-writer.js';

export interface BatchCounts {
  added: number;
  updated: number;
  unchanged: number;
}

/** Marks a stored volume the device listed: it stays. */
const SEEN = '';

interface StoredFingerprint {
  nativeId: string;
  fingerprint: string;
}

export class VolumeSync {
  /** native id → fingerprint of the stored volume, or SEEN once the device listed it. */
  private stored = new Map<string, string>();
  private pending: string[] = [];
  private seen = 0;

  constructor(private readonly storageId: string) {}

  /** Reads what is stored, before the first batch. */
  async load(q: Queryable): Promise<void> {
    this.stored = await readFingerprints(q, VOLUMES, this.storageId);
  }

  /** Volumes of the listing written (or found unchanged) so far. */
  get processed(): number {
    return this.seen + this.pending.length;
  }

  /** Diffs one batch of the device's listing against what is stored and writes the difference. */
  async writeBatch(q: TxClient, items: DeviceVolume[]): Promise<BatchCounts> {
    const fresh = items.filter((v) => this.stored.get(v.nativeVolumeId) !== SEEN); // a volume listed twice counts once
    const known: StoredFingerprint[] = [];
    for (const v of fresh) {
      const f = this.stored.get(v.nativeVolumeId);
      if (f !== undefined) known.push({ nativeId: v.nativeVolumeId, fingerprint: f });
    }
    const diff = classifyResources<DeviceVolume, StoredFingerprint>(fresh, known, {
      deviceKey: VOLUMES.nativeId,
      storedKey: (s) => s.nativeId,
      same: (d, s) => fingerprint(VOLUMES, d) === s.fingerprint,
      deleteMissing: false,
    });
    await insertNew(q, VOLUMES, this.storageId, diff.added);
    await upsert(q, VOLUMES, this.storageId, diff.updated.map((u) => u.device));
    this.pending = [...new Set(fresh.map(VOLUMES.nativeId))];
    return { added: diff.added.length, updated: diff.updated.length, unchanged: diff.unchanged };
  }

  /** The batch's transaction committed: its volumes count as seen. */
  commit(): void {
    for (const id of this.pending) this.stored.set(id, SEEN);
    this.seen += this.pending.length;
    this.pending = [];
  }

  /** After the whole listing: removes the stored volumes the device did not list. */
  deleteMissing(q: Queryable): Promise<number> {
    const missing: string[] = [];
    for (const [id, f] of this.stored) if (f !== SEEN) missing.push(id);
    return deleteByNativeIds(q, VOLUMES, this.storageId, missing);
  }
}
