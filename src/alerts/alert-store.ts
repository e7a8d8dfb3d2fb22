// The one writer of table alert. `(storage_id, sequence_number)` is unique: a trap taken by
// several receivers is stored once, and only the receiver that stored it publishes it.
import type { DeviceAlert, ParsedAlert } from '../drivers/driver.js';
import type { Queryable, Sql } from '../db/sql.js';
import { newId } from '../lib/ids.js';
import type { AlertRecord, AlertState } from './alert.js';

export const FOREIGN_KEY_VIOLATION = '23503';

export interface AlertFilter {
  storageId?: string | null;
  severity?: readonly string[] | null;
  state?: readonly AlertState[] | null;
}

export class AlertStore {
  constructor(private readonly sql: Sql) {}

  /** Open (not cleared) alerts per storage and severity (delfin_open_alerts). */
  async openCounts(): Promise<Array<{ storageId: string; storageName: string; severity: string; count: number }>> {
    return this.sql.query<{ storageId: string; storageName: string; severity: string; count: number }>(
      `select a.storage_id as "storageId", s.name as "storageName", a.severity, count(*)::int as count
       from alert a join storage s on s.id = a.storage_id and not s.deleting
       where a.cleared_at is null group by a.storage_id, s.name, a.severity`,
    );
  }

  /** Stores a raised alert, unless it already is (another receiver, a repeated inform) or its storage is gone. */
  async insert(storageId: string, a: ParsedAlert, receivedAt: Date): Promise<AlertRecord | 'duplicate' | 'storage_gone'> {
    try {
      const rows = await this.sql.query(
        `insert into alert (id, storage_id, alert_id, alert_name, severity, category, type, description, location,
           resource_type, sequence_number, recovery_advice, occurred_at, received_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         on conflict (storage_id, sequence_number) do nothing returning *`,
        [newId(), storageId, a.alertId, a.alertName, a.severity, a.category, a.type ?? null, a.description, a.location ?? null,
          a.resourceType ?? null, a.sequenceNumber, a.recoveryAdvice ?? null, a.occurredAt ?? receivedAt, receivedAt],
      );
      return rows[0] ? toRecord(rows[0]) : 'duplicate';
    } catch (err) {
      if ((err as { code?: string }).code === FOREIGN_KEY_VIOLATION) return 'storage_gone';
      throw err;
    }
  }

  /**
   * Stores many raised alerts in one statement: returns those stored now (the others already
   * were). A batch naming a deleted storage fails whole (FOREIGN_KEY_VIOLATION): the caller then
   * stores it row by row with `insert`.
   */
  async insertMany(items: readonly { storageId: string; alert: ParsedAlert; receivedAt: Date }[]): Promise<AlertRecord[]> {
    const col = <V>(f: (i: (typeof items)[number]) => V) => items.map(f);
    const rows = await this.sql.query(
      `insert into alert (id, storage_id, alert_id, alert_name, severity, category, type, description, location,
         resource_type, sequence_number, recovery_advice, occurred_at, received_at)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[])
       on conflict (storage_id, sequence_number) do nothing returning *`,
      [
        col(() => newId()), col((i) => i.storageId), col((i) => i.alert.alertId), col((i) => i.alert.alertName), col((i) => i.alert.severity),
        col((i) => i.alert.category), col((i) => i.alert.type ?? null), col((i) => i.alert.description), col((i) => i.alert.location ?? null),
        col((i) => i.alert.resourceType ?? null), col((i) => i.alert.sequenceNumber), col((i) => i.alert.recoveryAdvice ?? null),
        col((i) => i.alert.occurredAt ?? i.receivedAt), col((i) => i.receivedAt),
      ],
    );
    return rows.map(toRecord);
  }

  /**
   * Takes a device's listing of its current alerts (driver listAlerts), in the caller's
   * transaction: stores those not stored yet (once: a trap may have brought one already), marks
   * every listed one as listed now, and clears the open ones an earlier listing had and this one
   * no longer has (unless `clearAbsent` is false: a listing cut short proves no absence). Alerts
   * that only came as traps are left to their clear trap. Returns what was stored and cleared
   * now, to publish.
   */
  async reconcileListed(
    q: Queryable,
    storageId: string,
    listed: readonly DeviceAlert[],
    at: Date,
    { clearAbsent = true } = {},
  ): Promise<{ raised: AlertRecord[]; cleared: AlertRecord[] }> {
    const unique = [...new Map(listed.map((a) => [a.sequenceNumber, a])).values()];
    const col = <V>(f: (a: DeviceAlert) => V) => unique.map(f);
    const upserted = await q.query(
      `insert into alert (id, storage_id, alert_id, alert_name, severity, category, type, description, location,
         resource_type, sequence_number, recovery_advice, occurred_at, received_at, listed_at)
       select id, $2::uuid, alert_id, alert_name, severity, category, type, description, location, resource_type,
         sequence_number, recovery_advice, coalesce(occurred_at, $3), $3, $3
       from unnest($1::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
         $11::text[], $12::text[], $13::text[], $14::timestamptz[])
         as l(id, alert_id, alert_name, severity, category, type, description, location, resource_type, sequence_number, recovery_advice, occurred_at)
       on conflict (storage_id, sequence_number) do update set listed_at = excluded.listed_at
       returning *, (xmax = 0) as inserted`,
      [
        col(() => newId()), storageId, at, col((a) => a.alertId), col((a) => a.alertName), col((a) => a.severity), col((a) => a.category),
        col((a) => a.type ?? null), col((a) => a.description), col((a) => a.location ?? null), col((a) => a.resourceType ?? null),
        col((a) => a.sequenceNumber), col((a) => a.recoveryAdvice ?? null), col((a) => a.occurredAt ?? null),
      ],
    );
    const raised = upserted.rows.filter((r) => r.inserted).map(toRecord);
    if (!clearAbsent) return { raised, cleared: [] };
    const gone = await q.query(
      `update alert set cleared_at = $3 where storage_id = $1 and cleared_at is null and listed_at is not null
         and not (sequence_number = any($2::text[])) returning *`,
      [storageId, col((a) => a.sequenceNumber), at],
    );
    return { raised, cleared: gone.rows.map(toRecord) };
  }

  /** Clears the open alert of that sequence number; undefined when there is none open. */
  async clearBySequence(storageId: string, sequenceNumber: string, at: Date): Promise<AlertRecord | undefined> {
    const rows = await this.sql.query(
      'update alert set cleared_at = $3 where storage_id = $1 and sequence_number = $2 and cleared_at is null returning *',
      [storageId, sequenceNumber, at],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Clears an alert by id: `cleared` says whether this call cleared it (false: it already was). */
  async clearById(id: string): Promise<{ alert: AlertRecord; cleared: boolean } | undefined> {
    const rows = await this.sql.query('update alert set cleared_at = now() where id = $1 and cleared_at is null returning *', [id]);
    if (rows[0]) return { alert: toRecord(rows[0]), cleared: true };
    const existing = await this.get(id);
    return existing ? { alert: existing, cleared: false } : undefined;
  }

  /** Deletes alerts cleared before `clearedBefore`; returns how many. */
  async pruneCleared(clearedBefore: Date): Promise<number> {
    const rows = await this.sql.query('delete from alert where cleared_at < $1 returning id', [clearedBefore]);
    return rows.length;
  }

  /**
   * Keeps at most `max` alerts per storage: beyond it the oldest cleared go first, then the
   * oldest open. Returns how many were deleted, per storage.
   */
  async pruneOverCap(max: number): Promise<Map<string, number>> {
    const rows = await this.sql.query<{ storage_id: string; n: string }>(
      `with over as (
         select storage_id, count(*) - $1 as excess from alert group by storage_id having count(*) > $1
       ), doomed as (
         select a.id from over o
         cross join lateral (
           select id from alert where storage_id = o.storage_id
           order by (cleared_at is null), id limit o.excess
         ) a
       )
       delete from alert where id in (select id from doomed) returning storage_id`,
      [max],
    );
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.storage_id, (counts.get(r.storage_id) ?? 0) + 1);
    return counts;
  }

  /** The oldest `limit` open alerts of every storage. */
  async openAlerts(limit: number): Promise<AlertRecord[]> {
    return (await this.sql.query('select * from alert where cleared_at is null order by id limit $1', [limit])).map(toRecord);
  }

  async get(id: string): Promise<AlertRecord | undefined> {
    const rows = await this.sql.query('select * from alert where id = $1', [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** One page in id (creation) order, fetched with limit + 1 rows, and a count to run if asked for. */
  async page(filter: AlertFilter, limit: number, afterId?: string): Promise<{ rows: AlertRecord[]; count: () => Promise<number> }> {
    const { where, params } = whereOf(filter);
    const pageWhere = afterId ? [...where, `id > $${params.length + 1}`] : where;
    const pageParams = afterId ? [...params, afterId] : params;
    const sqlWhere = (w: string[]) => (w.length ? `where ${w.join(' and ')}` : '');
    const rows = await this.sql.query(`select * from alert ${sqlWhere(pageWhere)} order by id limit ${limit + 1}`, pageParams);
    const count = async () => Number((await this.sql.query<{ n: string }>(`select count(*) as n from alert ${sqlWhere(where)}`, params))[0]!.n);
    return { rows: rows.map(toRecord), count };
  }
}

function whereOf(f: AlertFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.storageId) {
    params.push(f.storageId);
    where.push(`storage_id = $${params.length}`);
  }
  if (f.severity?.length) {
    params.push(f.severity);
    where.push(`severity = any($${params.length}::text[])`);
  }
  const states = new Set(f.state ?? []);
  if (states.size === 1) where.push(states.has('OPEN') ? 'cleared_at is null' : 'cleared_at is not null');
  return { where, params };
}

function toRecord(r: Record<string, any>): AlertRecord {
  return {
    id: r.id,
    storageId: r.storage_id,
    alertId: r.alert_id,
    alertName: r.alert_name,
    severity: r.severity,
    category: r.category,
    type: r.type,
    description: r.description,
    location: r.location,
    resourceType: r.resource_type,
    sequenceNumber: r.sequence_number,
    recoveryAdvice: r.recovery_advice,
    occurredAt: r.occurred_at,
    receivedAt: r.received_at,
    clearedAt: r.cleared_at,
  };
}
