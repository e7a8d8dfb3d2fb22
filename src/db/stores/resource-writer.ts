// Bulk reads and writes of one resource table for one storage. Every statement handles a whole
// page with one array parameter per column (unnest), never a round trip per row.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Queryable, TxClient } from '../sql.js';
import { isId, newId } from '../../lib/ids.js';
import { IdTable } from '../../lib/id-table.js';
import { CopyRows } from './copy-rows.js';
import type { ResourceTable, StoredRow } from './resource-table.js';

/** Every stored resource of the storage, whole (for small kinds: pools). */
export async function readStored<D>(q: Queryable, t: ResourceTable<D>, storageId: string): Promise<StoredRow[]> {
  const cols = t.columns.map((c) => `${c.name}${c.pgType === 'bigint' ? '::text' : ''} as ${c.name}`).join(', ');
  const { rows } = await q.query(`select id, ${t.nativeColumn} as native_id, ${cols} from ${t.table} where storage_id = $1`, [
    storageId,
  ]);
  return rows as StoredRow[];
}

/** native id → fingerprint of every stored resource of the storage, in one query. */
export async function readFingerprints<D>(client: TxClient, t: ResourceTable<D>, storageId: string): Promise<IdTable> {
  // COPY out and parse the bytes as they come: a million rows are read at the start of a sync,
  // and parsing them as query rows, or holding the whole output, costs several times more.
  if (!t.fingerprintColumn) throw new Error(`${t.table} keeps no fingerprints`);
  const query = `select ${t.nativeColumn}, ${t.fingerprintColumn} from ${t.table} where storage_id = '${uuidLiteral(storageId)}'`;
  const parser = new FingerprintParser();
  await pipeline(client.query(copyTo(`copy (${query}) to stdout`)), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) parser.push(chunk);
  });
  return parser.end();
}

/** The fingerprints of COPY's output given in chunks, as readFingerprints gets it (tests). */
export function parseFingerprints(...chunks: Buffer[]): IdTable {
  const parser = new FingerprintParser();
  for (const chunk of chunks) parser.push(chunk);
  return parser.end();
}

/**
 * COPY's text lines `<native id>\t<fingerprint>\n`, read straight from the bytes chunk by chunk:
 * the id's bytes go into the table as they are (no string per id), the fingerprint (a
 * non-negative integer below 2^53) is summed from its digits, and a line cut by the end of a
 * chunk waits for the next. A tab, newline or backslash in a native id comes escaped (\t, \n, \\).
 */
class FingerprintParser {
  private readonly table = new IdTable();
  private carry: Buffer | undefined;

  push(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const n = buf.length;
    let start = 0;
    for (;;) {
      let tab = start;
      let escaped = false;
      for (; tab < n; tab++) {
        const c = buf[tab]!;
        if (c === 9) break;
        if (c === 92) escaped = true;
      }
      let end = tab + 1;
      let fingerprint = 0;
      for (; end < n; end++) {
        const c = buf[end]!;
        if (c === 10) break;
        fingerprint = fingerprint * 10 + (c - 48);
      }
      if (end >= n) break; // an incomplete line: the rest comes with the next chunk
      if (escaped) this.table.set(fromCopyText(buf.toString('utf8', start, tab)), fingerprint);
      else this.table.setBytes(buf, start, tab, fingerprint);
      start = end + 1;
    }
    this.carry = start < n ? Buffer.from(buf.subarray(start)) : undefined;
  }

  end(): IdTable {
    if (this.carry) this.push(Buffer.from('\n'));
    return this.table;
  }
}

/** COPY takes no parameters: the id is checked to be a UUID before it is written into the statement. */
function uuidLiteral(id: string): string {
  if (!isId(id)) throw new Error(`not an id: ${id}`);
  return id;
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
  const columns = t.columns;
  const names = columns.map((c) => c.name);
  const params: unknown[] = [
    storageId,
    items.map(() => newId()),
    items.map((d) => t.nativeId(d)),
    ...columns.map((c) => items.map((d) => toParam(c.value(d)))),
  ];
  const arrays = ['$2::uuid[]', '$3::text[]', ...columns.map((c, i) => `$${i + 4}::${c.pgType}[]`)].join(', ');
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
  const rows = new CopyRows(t, storageId);
  for (const d of items) rows.add(d);
  await copyRows(client, t, rows.take());
}

/** Rows already encoded (CopyRows) into the table, with one COPY. */
export async function copyRows<D>(client: TxClient, t: ResourceTable<D>, chunks: Buffer[]): Promise<void> {
  if (chunks.length === 0) return;
  const names = ['id', 'storage_id', t.nativeColumn, ...t.columns.map((c) => c.name)];
  await pipeline(Readable.from(chunks), client.query(copyFrom(`copy ${t.table} (${names.join(', ')}) from stdin`)));
}

/** A value in COPY's text format: \N for null, backslash escapes for the special characters. */
export function copyText(v: string | boolean | bigint | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v); // numbers and booleans need no escape
  return COPY_SPECIAL.test(v) ? v.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]!) : v;
}

/** The inverse of copyText for a value COPY wrote out (never \\N here: native ids are not null). */
function fromCopyText(v: string): string {
  return v.includes('\\') ? v.replace(/\\(.)/g, (_, c: string) => COPY_UNESCAPES[c] ?? c) : v;
}

const COPY_UNESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', '\\': '\\' };

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Deletes the given stored rows by id; returns how many went. */
export async function deleteByIds<D>(q: Queryable, t: ResourceTable<D>, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await q.query(`delete from ${t.table} where id = any($1::uuid[])`, [ids]);
  return res.rowCount ?? 0;
}

function toParam(v: string | boolean | bigint | number | null | undefined): string | boolean | number | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'bigint' ? v.toString() : v;
}
