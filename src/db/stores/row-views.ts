// Reads for the API: each table's rows as the API's objects, straight from PostgreSQL (one pool,
// plain SQL): the select list names every column with its camelCase field, so rows need no
// mapping (bigints come as decimal strings, which the BigInt scalar takes as they are).
// Child tables (a storage's pools, volumes, disks, ...) are read in keyset pages: by id, or by
// (an ordered column, id) for an order with its index, forwards or backwards; a page reads one
// page of index entries however deep it is. Counting is a separate query, run only when asked.
import type { Queryable } from '../sql.js';

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `col as "field"` for each field, prefixed by a table alias. */
export function selectList(fields: readonly string[], alias: string): string {
  return fields.map((f) => `${alias}.${snake(f)} as "${f}"`).join(', ');
}

/** Statement parameters, numbered as they are added. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The conditions a filter puts on the table (alias `t`), its values passed through `p`. */
export type Where = (p: Params) => string[];

/** Every condition of the given filters (none given: undefined). */
export function allOf(...wheres: Array<Where | undefined>): Where | undefined {
  const given = wheres.filter((w): w is Where => w !== undefined);
  return given.length ? (p) => given.flatMap((w) => w(p)) : undefined;
}

/** The SQL types an ordered column can have (its cursor values are their text forms). */
export type OrderType = 'text' | 'bigint' | 'timestamptz';

/** A list order other than by id; the id breaks ties, in the same direction. */
export interface Order {
  column: string;
  type: OrderType;
  descending: boolean;
}

export interface Page {
  /** Rows after this id (the cursor); none: from the start. */
  afterId?: string | null;
  /** With an order: the order's value of the cursor's row, as text. */
  afterKey?: string | null;
  /** Rows wanted (one more is read, to tell whether a next page exists). */
  limit: number;
}

export interface ListQuery {
  where?: Where;
  order?: Order;
  page: Page;
}

/** A row of an ordered page carries its value for the order, as text, for its cursor. */
export type Keyed<R> = R & { orderKey?: string };

const BIGINT = /^-?\d{1,19}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:?\d\d)?|Z)?$/;

/** Whether `key` is a text form PostgreSQL takes as a value of `type` (a cursor's value). */
export function isOrderKey(type: OrderType, key: string): boolean {
  if (type === 'bigint') return BIGINT.test(key);
  if (type === 'timestamptz') return TIMESTAMP.test(key);
  return !key.includes('\u0000');
}

/** The keyset part of a page query: where it starts, how it is ordered, the key it selects. */
function keyset(p: Params, order: Order | undefined, page: Page): { after: string[]; orderBy: string; key: string } {
  if (!order) {
    return { after: page.afterId ? [`t.id > ${p.add(page.afterId)}::uuid`] : [], orderBy: 't.id', key: '' };
  }
  const dir = order.descending ? ' desc' : '';
  const after =
    page.afterId && page.afterKey !== undefined && page.afterKey !== null
      ? [`(t.${order.column}, t.id) ${order.descending ? '<' : '>'} (${p.add(page.afterKey)}::${order.type}, ${p.add(page.afterId)}::uuid)`]
      : [];
  return { after, orderBy: `t.${order.column}${dir}, t.id${dir}`, key: `, t.${order.column}::text as "orderKey"` };
}

const whereOf = (conditions: string[]) => (conditions.length ? `where ${conditions.join(' and ')}` : '');

/** The pages, counts and batched pages and counts of one child table (alias `t` in conditions). */
export interface ChildRows<R> {
  /** A page of one storage's rows or of all. */
  page(q: Queryable, storageId: string | null, query: ListQuery): Promise<Array<Keyed<R>>>;
  /** How many rows (of one storage or of all) match. */
  count(q: Queryable, storageId: string | null, where?: Where): Promise<number>;
  /** The same page for many storages, in one query (LATERAL). */
  pagesOf(q: Queryable, storageIds: readonly string[], query: ListQuery): Promise<Map<string, Array<Keyed<R>>>>;
  /** How many rows of each storage match, in one grouped query. */
  countsOf(q: Queryable, storageIds: readonly string[], where?: Where): Promise<Map<string, number>>;
  /** One row by its id; undefined when there is none. */
  byId(q: Queryable, id: string): Promise<R | undefined>;
  /** The condition that the given fields (of the select list) equal these values. */
  equal(values: Readonly<Record<string, string>>): Where | undefined;
}

export function childRows<R extends { storageId: string }>(table: string, fields: readonly string[]): ChildRows<R> {
  const columns = selectList(fields, 't');
  return {
    async page(q, storageId, { where, order, page }) {
      const p = new Params();
      const conditions = storageId ? [`t.storage_id = ${p.add(storageId)}::uuid`] : [];
      conditions.push(...(where?.(p) ?? []));
      const k = keyset(p, order, page);
      const sql = `select ${columns}${k.key} from ${table} t ${whereOf([...conditions, ...k.after])} order by ${k.orderBy} limit ${p.add(page.limit + 1)}`;
      return (await q.query(sql, p.values)).rows as Array<Keyed<R>>;
    },

    async count(q, storageId, where) {
      const p = new Params();
      const conditions = storageId ? [`t.storage_id = ${p.add(storageId)}::uuid`] : [];
      conditions.push(...(where?.(p) ?? []));
      const { rows } = await q.query(`select count(*)::int as n from ${table} t ${whereOf(conditions)}`, p.values);
      return rows[0]!.n as number;
    },

    async pagesOf(q, storageIds, { where, order, page }) {
      const p = new Params();
      const ids = p.add(storageIds);
      const conditions = ['t.storage_id = s.id', ...(where?.(p) ?? [])];
      const k = keyset(p, order, page);
      const { rows } = await q.query(
        `select c.* from unnest(${ids}::uuid[]) as s(id) cross join lateral (
           select ${columns}${k.key} from ${table} t ${whereOf([...conditions, ...k.after])} order by ${k.orderBy} limit ${p.add(page.limit + 1)}) c`,
        p.values,
      );
      const byStorage = new Map<string, Array<Keyed<R>>>();
      for (const r of rows as Array<Keyed<R>>) {
        const list = byStorage.get(r.storageId);
        if (list) list.push(r);
        else byStorage.set(r.storageId, [r]);
      }
      return byStorage;
    },

    async countsOf(q, storageIds, where) {
      const p = new Params();
      const conditions = [`t.storage_id = any(${p.add(storageIds)}::uuid[])`, ...(where?.(p) ?? [])];
      const { rows } = await q.query(`select t.storage_id, count(*)::int as n from ${table} t ${whereOf(conditions)} group by t.storage_id`, p.values);
      return new Map(rows.map((r) => [r.storage_id as string, r.n as number]));
    },

    async byId(q, id) {
      const { rows } = await q.query(`select ${columns} from ${table} t where t.id = $1`, [id]);
      return rows[0] as R | undefined;
    },

    equal(values) {
      const entries = Object.entries(values);
      for (const [field] of entries) if (!fields.includes(field)) throw new Error(`no field ${field} to filter on`);
      if (entries.length === 0) return undefined;
      return (p) => entries.map(([field, value]) => `t.${snake(field)} = ${p.add(value)}`);
    },
  };
}
