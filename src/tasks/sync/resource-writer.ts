// Bulk reads and writes of one resource table for one storage. Every statement handles a whole
// page with one array parameter per column (unnest), never a round trip per row.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { Queryable, TxClient } from '../../db/sql.js';
import { newId } from '../../lib/ids.js';
import { fingerprintSql, type ResourceTable, type StoredRow } from './resource-table.js';

/** Every stored resource of the storage, whole (for small kinds: pools). */
export async function readStored<D>(q: Queryable, t: ResourceTable<D>, storageId: string): Promise<StoredRow[]> {
  const cols = t.columns.map((c) => `${c.name}${c.pgType === 'bigint' ? '::text' : ''} as ${c.name}`).join(', ');
  const { rows } = await q.query(`select id, ${t.nativeColumn} as native_id, ${cols} from ${t.table} where storage_id = $1`, [
    storageId,
  ]);
  return rows as StoredRow[];
}

/** native id → fingerprint of every stored resource of the storage, in one query. */
export async function readFingerprints<D>(q: Queryable, t: ResourceTable<D>, storageId: string): Promise<Map<string, string>> {
  const { rows } = await q.query(
    `select ${t.nativeColumn} as native_id, ${fingerprintSql(t)} as fingerprint from ${t.table} where storage_id = $1`,
    [storageId],
  );
  return new Map(rows.map((r) => [r.native_id as string, r.fingerprint as string]));
}

/** Deletes resources of the storage by native id, in bounded statements; returns how many went. */
export async function deleteByNativeIds<D>(q: Queryable, t: ResourceTable<D>, storageId: string, nativeIds: string[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < nativeIds.length; i += DELETE_CHUNK) {
    const res = await q.query(`delete from ${t.table} where storage_id = $1 and ${t.nativeColumn} = any($2::text[])`, [
      storageId,
      nativeIds.slice(i, i + DELETE_CHUNK),
    ]);
    deleted += res.rowCount ?? 0;
  }
  return deleted;
}

const DELETE_CHUNK = 10_000;

/**
 * Inserts new resources and updates changed ones in one statement. The guard on the update
 * skips rows that equal the device (a concurrent or repeated write changes nothing).
 */
export async function upsert<D>(q: Queryable, t: ResourceTable<D>, storageId: string, items: D[]): Promise<void> {
  if (items.length === 0) return;
  const names = t.columns.map((c) => c.name);
  const params: unknown[] = [
    storageId,
    items.map(() => newId()),
    items.map((d) => t.nativeId(d)),
    ...t.columns.map((c) => items.map((d) => toParam(c.value(d)))),
  ];
  const arrays = ['$2::uuid[]', '$3::text[]', ...t.columns.map((c, i) => `$${i + 4}::${c.pgType}[]`)].join(', ');
  const set = names.map((n) => `${n} = excluded.${n}`).join(', ');
  const mine = names.map((n) => `${t.table}.${n}`).join(', ');
  const theirs = names.map((n) => `excluded.${n}`).join(', ');
  await q.query(
    `insert into ${t.table} (storage_id, id, ${t.nativeColumn}, ${names.join(', ')})
     select $1::uuid, u.* from unnest(${arrays}) as u
     on conflict (storage_id, ${t.nativeColumn}) do update set ${set}, updated_at = now()
     where (${mine}) is distinct from (${theirs})`,
    params,
  );
}

/**
 * Inserts resources known to be new (not stored when the sync read the storage, which nobody
 * else writes while the sync holds its lease) with one COPY: the fastest way rows go in.
 */
export async function insertNew<D>(client: TxClient, t: ResourceTable<D>, storageId: string, items: D[]): Promise<void> {
  if (items.length === 0) return;
  const columns = ['id', 'storage_id', t.nativeColumn, ...t.columns.map((c) => c.name)];
  const lines = items.map((d) =>
    [newId(), storageId, t.nativeId(d), ...t.columns.map((c) => c.value(d))].map(copyText).join('\t'),
  );
  await pipeline(Readable.from([lines.join('\n') + '\n']), client.query(copyFrom(`copy ${t.table} (${columns.join(', ')}) from stdin`)));
}

/** A value in COPY's text format: \N for null, backslash escapes for the special characters. */
export function copyText(v: string | boolean | bigint | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  return String(v).replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!);
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Deletes the given stored rows by id; returns how many went. */
export async function deleteByIds<D>(q: Queryable, t: ResourceTable<D>, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await q.query(`delete from ${t.table} where id = any($1::uuid[])`, [ids]);
  return res.rowCount ?? 0;
}

function toParam(v: string | boolean | bigint | null | undefined): string | boolean | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'bigint' ? v.toString() : v;
}
