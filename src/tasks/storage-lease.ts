// One sync (or removal) per storage at a time, across every worker process (rule 2): a lease
// row per storage with an expiry. The holder renews it while it works; if the holder dies, the
// lease expires and the task's redelivery takes it over.
import type { Sql } from '../db/sql.js';

export type LeaseResult = 'acquired' | 'busy' | 'storage-gone';

export class StorageLeases {
  constructor(
    private readonly sql: Sql,
    private readonly leaseSeconds: number,
  ) {}

  async acquire(storageId: string, holder: string): Promise<LeaseResult> {
    try {
      const rows = await this.sql.query(
        `insert into storage_lease (storage_id, holder, expires_at) values ($1, $2, now() + make_interval(secs => $3))
         on conflict (storage_id) do update set holder = excluded.holder, expires_at = excluded.expires_at
         where storage_lease.expires_at < now() or storage_lease.holder = excluded.holder
         returning holder`,
        [storageId, holder, this.leaseSeconds],
      );
      return rows.length > 0 ? 'acquired' : 'busy';
    } catch (err) {
      if ((err as { code?: string }).code === '23503') return 'storage-gone'; // foreign key: no such storage
      throw err;
    }
  }

  /** False when the lease is no longer ours (expired and taken, or the storage is gone). */
  async renew(storageId: string, holder: string): Promise<boolean> {
    const rows = await this.sql.query(
      `update storage_lease set expires_at = now() + make_interval(secs => $3)
       where storage_id = $1 and holder = $2 returning holder`,
      [storageId, holder, this.leaseSeconds],
    );
    return rows.length > 0;
  }

  async release(storageId: string, holder: string): Promise<void> {
    await this.sql.query('delete from storage_lease where storage_id = $1 and holder = $2', [storageId, holder]);
  }
}
