// Reads for the API: each table's rows as the API's objects, straight from PostgreSQL (one pool,
// plain SQL): the select list names every column with its camelCase field, so rows need no
// mapping (bigints come as decimal strings, which the BigInt scalar takes as they are).
import type { Queryable } from '../sql.js';

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `col as "field"` for each field, prefixed by a table alias. */
export function selectList(fields: readonly string[], alias: string): string {
  return fields.map((f) => `${alias}.${snake(f)} as "${f}"`).join(', ');
}

export interface Page {
  /** Rows after this id (the cursor); none: from the start. */
  afterId?: string | null;
  /** Rows wanted (one more is read, to tell whether a next page exists). */
  limit: number;
  /** Only rows whose fields (of the select list) equal these values. */
  equals?: Readonly<Record<string, string>>;
}

/** `and t.col = $n` for each field of `equals`, numbered after `taken` parameters; a field outside `fields` is refused. */
function equalities(fields: readonly string[], equals: Page['equals'], taken: number): { sql: string; values: string[] } {
  const entries = Object.entries(equals ?? {});
  for (const [field] of entries) if (!fields.includes(field)) throw new Error(`no field ${field} to filter on`);
  return { sql: entries.map(([field], i) => ` and t.${snake(field)} = $${taken + i + 1}`).join(''), values: entries.map(([, v]) => v) };
}

/** A page of one child table (pools, volumes) of one storage or of all, by id. */
export async function childPage<R>(q: Queryable, table: string, fields: readonly string[], storageId: string | null, page: Page): Promise<{ rows: R[]; total: number }> {
  const rowsWhere = equalities(fields, page.equals, 3);
  const countWhere = equalities(fields, page.equals, 1);
  const [rows, count] = await Promise.all([
    q.query(
      `select ${selectList(fields, 't')} from ${table} t where ($1::uuid is null or t.storage_id = $1) and ($2::uuid is null or t.id > $2)${rowsWhere.sql}
       order by t.id limit $3`,
      [storageId, page.afterId ?? null, page.limit + 1, ...rowsWhere.values],
    ),
    q.query(`select count(*)::int as n from ${table} t where ($1::uuid is null or t.storage_id = $1)${countWhere.sql}`, [storageId, ...countWhere.values]),
  ]);
  return { rows: rows.rows as R[], total: count.rows[0]!.n as number };
}

/** One row of a child table (a pool, a volume...) by its id; undefined when there is none. */
export async function childById<R>(q: Queryable, table: string, fields: readonly string[], id: string): Promise<R | undefined> {
  const { rows } = await q.query(`select ${selectList(fields, 't')} from ${table} t where t.id = $1`, [id]);
  return rows[0] as R | undefined;
}

/**
 * The same page of a child table for many storages at once: one LATERAL query, and one
 * grouped count, instead of two queries per storage.
 */
export async function childPagesOf<R extends { storageId: string }>(
  q: Queryable,
  table: string,
  fields: readonly string[],
  storageIds: string[],
  page: Page,
): Promise<{ rows: Map<string, R[]>; totals: Map<string, number> }> {
  const [rows, counts] = await Promise.all([
    q.query(
      `select ${selectList(fields, 'c')} from unnest($1::uuid[]) as s(id) cross join lateral (
         select * from ${table} t where t.storage_id = s.id and ($2::uuid is null or t.id > $2::uuid)
         order by t.id limit $3) c`,
      [storageIds, page.afterId ?? null, page.limit + 1],
    ),
    q.query(`select storage_id, count(*)::int as n from ${table} where storage_id = any($1::uuid[]) group by storage_id`, [storageIds]),
  ]);
  const byStorage = new Map<string, R[]>();
  for (const r of rows.rows as R[]) {
    const list = byStorage.get(r.storageId);
    if (list) list.push(r);
    else byStorage.set(r.storageId, [r]);
  }
  return { rows: byStorage, totals: new Map(counts.rows.map((r) => [r.storage_id as string, r.n as number])) };
}
