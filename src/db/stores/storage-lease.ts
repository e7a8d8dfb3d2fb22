// One sync (or removal) per storage at a time, across every worker process (rule 2): a lease
// row per storage with an expiry. The holder renews it while it works; if the holder dies, the
// lease expires and the task's redelivery takes it over.
import { sqlLiteral, type Queryable, type Sql } from '../sql.js';

export type LeaseResult = { state: 'acquired'; until: Date } | { state: 'busy' } | { state: 'storage-gone' };

export class StorageLeases {
  constructor(
    private readonly sql: Sql,
    private readonly leaseSeconds: number,
  ) {}

  /** On `q`: the worker takes it in the transaction that starts the task's run. */
  async acquire(storageId: string, holder: string, q: Queryable = this.sql.q): Promise<LeaseResult> {
    try {
      const { rows } = await q.query(
        `insert into storage_lease (storage_id, holder, expires_at) values ($1, $2, now() + make_interval(secs => $3))
         on conflict (storage_id) do update set holder = excluded.holder, expires_at = excluded.expires_at
         where storage_lease.expires_at < now() or storage_lease.holder = excluded.holder
         returning expires_at`,
        [storageId, holder, this.leaseSeconds],
      );
      return rows[0] ? { state: 'acquired', until: rows[0].expires_at as Date } : { state: 'busy' };
    } catch (err) {
      if ((err as { code?: string }).code === '23503') return { state: 'storage-gone' }; // foreign key: no such storage
      throw err;
    }
  }

  /** The new expiry, or undefined when the lease is no longer ours (expired and taken, or the storage is gone). */
  async renew(storageId: string, holder: string): Promise<Date | undefined> {
    const rows = await this.sql.query(
      `update storage_lease set expires_at = now() + make_interval(secs => $3)
       where storage_id = $1 and holder = $2 returning expires_at`,
      [storageId, holder, this.leaseSeconds],
    );
    return rows[0]?.expires_at as Date | undefined;
  }

  async release(storageId: string, holder: string): Promise<void> {
    await this.sql.query('delete from storage_lease where storage_id = $1 and holder = $2', [storageId, holder]);
  }
}

/**
 * Fencing, inside a write transaction: whether `holder` still holds the storage's lease. The row
 * is locked (FOR SHARE) until the transaction ends, so no other worker takes the lease over
 * between this check and the commit (a lease expired but not taken is still ours: nobody else
 * wrote). A worker paused past its lease (SIGSTOP, a long GC) learns here, before writing, that
 * another took over. A storage that is gone (its removal deleted it, and its lease with it)
 * can be leased by no one: nothing to fence, the removal's own end goes on.
 */
const HOLDS_LEASE = `select exists (select 1 from storage_lease where storage_id = $1 and holder = $2 for share) as held,
            not exists (select 1 from storage where id = $1) as gone`;

/**
 * The fence as a statement without parameters, to open a step's transaction with (Sql.tx's
 * `opening`: no round trip of its own); read its rows with `leaseHeld`.
 */
export function holdsLeaseStatement(storageId: string, holder: string): string {
  return HOLDS_LEASE.replaceAll('$1', sqlLiteral(storageId)).replaceAll('$2', sqlLiteral(holder));
}

/** The fence's answer: held, or the storage is gone. */
export function leaseHeld(rows: Record<string, any>[]): boolean {
  return rows[0]?.held === true || rows[0]?.gone === true;
}

/**
 * Fencing and release at a run's end, inside its transaction, in one statement: deletes the
 * lease if `holder` still holds it. True when it did (the lease is free once the end commits), or
 * when the storage is gone (see the fence above); false when another worker has taken it over.
 */
export async function releaseHeld(q: Queryable, storageId: string, holder: string): Promise<boolean> {
  const { rows } = await q.query(
    `with released as (delete from storage_lease where storage_id = $1 and holder = $2 returning 1)
     select exists (select 1 from released) as held, not exists (select 1 from storage where id = $1) as gone`,
    [storageId, holder],
  );
  return rows[0]!.held === true || rows[0]!.gone === true;
}
