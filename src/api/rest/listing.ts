// Delfin's list parameters over our cursor pages: `limit` (at most the API's largest page, as
// Delfin caps it at its max_limit), `offset`, `marker` (the id of the last item seen), `sort`
// ("name:desc,id:asc") and equality filters on the answer's own fields (name, status,
// native_volume_id...). Filters compare the mapped item, so a filter means what the answer shows.
import { isId } from '../../lib/ids.js';
import { encodeCursor, MAX_PAGE_SIZE } from '../services/paging.js';
import type { Connection } from '../types/connection.js';
import { invalidInput } from './errors.js';

const PAGING = new Set(['limit', 'offset', 'marker', 'sort']);

/** A page of our connection, from a cursor. */
export type PageSource<R> = (first: number, after: string | undefined) => Promise<Connection<R>>;

type Item = Record<string, unknown>;

export async function delfinList<R>(query: Readonly<Record<string, string>>, source: PageSource<R>, map: (r: R) => Item): Promise<Item[]> {
  const limit = Math.min(query.limit ? Number(query.limit) : MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const offset = query.offset ? Number(query.offset) : 0;
  const filters = Object.entries(query).filter(([k]) => !PAGING.has(k));
  const matches = (item: Item) => filters.every(([k, v]) => item[k] !== undefined && String(item[k]) === v);
  if (query.marker !== undefined && !isId(query.marker)) throw invalidInput(`marker must be the id of an item of this list; got "${query.marker}".`, ['marker']);
  if (query.sort) {
    const all = sortBy(await walk(source, map, matches, undefined, Infinity), parseSort(query.sort));
    const from = query.marker ? all.findIndex((i) => i.id === query.marker) + 1 : 0;
    return all.slice(from + offset, from + offset + limit);
  }
  const found = await walk(source, map, matches, query.marker, offset + limit);
  return found.slice(offset, offset + limit);
}

/** Matching items in id order, after `markerId`, until `wanted` are found or the list ends. */
async function walk<R>(source: PageSource<R>, map: (r: R) => Item, matches: (i: Item) => boolean, markerId: string | undefined, wanted: number): Promise<Item[]> {
  const found: Item[] = [];
  let after = markerId ? encodeCursor(markerId) : undefined;
  for (;;) {
    const page = await source(MAX_PAGE_SIZE, after);
    for (const { node } of page.edges) {
      const item = map(node);
      if (matches(item)) found.push(item);
      if (found.length >= wanted) return found;
    }
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return found;
    after = page.pageInfo.endCursor;
  }
}

type SortKey = { key: string; desc: boolean };

function parseSort(sort: string): SortKey[] {
  return sort.split(',').map((part) => {
    const [key, dir = 'asc'] = part.trim().split(':');
    if (!key || !/^[a-z_]+$/.test(key) || (dir !== 'asc' && dir !== 'desc')) {
      throw invalidInput(`sort must be keys with an optional direction, as "name:desc,id:asc"; got "${sort}".`, ['sort']);
    }
    return { key, desc: dir === 'desc' };
  });
}

function sortBy(items: Item[], keys: SortKey[]): Item[] {
  const compare = (a: unknown, b: unknown) => (a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : (a as number) < (b as number) ? -1 : 1);
  return items.sort((x, y) => {
    for (const { key, desc } of keys) {
      const c = compare(x[key], y[key]);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
}
