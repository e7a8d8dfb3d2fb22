// Bulk reads and writes of one resource table for one storage. Every statement handles a whole
// page with one array parameter per column (unnest), never a round trip per row.
import type { Queryable } from '../../db/sql.js';
import { newId } from '../../lib/ids.js';
import type { ResourceTable, StoredRow } from './resource-table.js';

export async function readStored<D>(
  q: Queryable,
  t: ResourceTable<D>,
  storageId: string,
  nativeIds?: string[],
): Promise<StoredRow[]> {
  const cols = t.columns.map((c) => `${c.name}${c.pgType === 'bigint' ? '::text' : ''} as ${c.name}`).join(', ');
  const where = nativeIds ? `and ${t.nativeColumn} = any($2::text[])` : '';
  const { rows } = await q.query(
    `select id, ${t.nativeColumn} as native_id, ${cols} from ${t.table} where storage_id = $1 ${where}`,
    nativeIds ? [storageId, nativeIds] : [storageId],
  );
  return rows as StoredRow[];
}

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

/** Deletes the given stored rows by id; returns how many went. */
export async function deleteByIds<D>(q: Queryable, t: ResourceTable<D>, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await q.query(`delete from ${t.table} where id = any($1::uuid[])`, [ids]);
  return (res as { rowCount?: number | null }).rowCount ?? 0;
}

/**
 * Deletes every stored resource of the storage whose native id is not in `present` (the ids
 * of a complete device listing). A hash anti-join, one statement whatever the count.
 */
export async function deleteMissing<D>(
  q: Queryable,
  t: ResourceTable<D>,
  storageId: string,
  present: string[],
): Promise<number> {
  const res = await q.query(
    `delete from ${t.table} r where r.storage_id = $1
     and not exists (select 1 from unnest($2::text[]) as p(native_id) where p.native_id = r.${t.nativeColumn})`,
    [storageId, present],
  );
  return (res as { rowCount?: number | null }).rowCount ?? 0;
}

function toParam(v: string | boolean | bigint | null | undefined): string | boolean | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'bigint' ? v.toString() : v;
}
