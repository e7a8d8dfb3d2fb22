// Cursor paging shared by every connection: keyset on the row id (UUIDv7, so creation order),
// the cursor being the id in base64url; or, for a list in another order, keyset on (the order's
// value, id), the cursor recording the order, the value and the id, so a cursor of one order
// is refused by another. A page holds at most MAX_PAGE_SIZE rows. totalCount is counted only
// when a client selects it.
import { badInput } from '../../errors.js';
import { isId } from '../../lib/ids.js';
import type { Connection } from '../types/connection.js';

export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  limit: number;
  afterId?: string;
  /** The order's value of the row the cursor names (ordered lists only). */
  afterKey?: string;
}

/** A list order other than by id, as its cursors record it. */
export interface CursorOrder {
  /** What the client asked, in words ("NAME DESC"). */
  name: string;
  /** Whether a cursor's value can be a value of the order's column. */
  isKey(key: string): boolean;
}

/** Why `first` cannot be a page size, in words naming the limit; undefined when it can. */
export function pageSizeProblem(first: number): string | undefined {
  if (Number.isInteger(first) && first >= 0 && first <= MAX_PAGE_SIZE) return undefined;
  return `first must be between 0 and ${MAX_PAGE_SIZE} (the largest page); got ${first}. Ask for the next page with after: pageInfo.endCursor.`;
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined, order?: CursorOrder): PageRequest {
  const limit = first ?? 50;
  const problem = pageSizeProblem(limit);
  if (problem) throw badInput(problem, 'first');
  if (!after) return { limit, afterId: undefined };
  const cursor = decodeCursor(after);
  if (cursor.order !== order?.name) {
    throw badInput(
      `after is a cursor of a list ${ordered(cursor.order)}, and this list is ${ordered(order?.name)}: ` +
        'ask for the first page again with this orderBy (a cursor keeps its place only in its own order)',
      'after',
    );
  }
  if (cursor.key === undefined) return { limit, afterId: cursor.id };
  if (!order!.isKey(cursor.key)) throw notOurs();
  return { limit, afterId: cursor.id, afterKey: cursor.key };
}

const ordered = (order: string | undefined) => (order ? `ordered by ${order}` : 'in the default order');

export const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/** The cursor of a row of a list in `order`, whose value for that order is `key`. */
export const encodeOrderedCursor = (order: CursorOrder, key: string, id: string): string =>
  Buffer.from(JSON.stringify([order.name, key, id]), 'utf8').toString('base64url');

interface Cursor {
  order?: string;
  key?: string;
  id: string;
}

const notOurs = () => badInput('after is not a cursor given by this API (use pageInfo.endCursor)', 'after');

function decodeCursor(cursor: string): Cursor {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (isId(text)) return { id: text };
  if (!text.startsWith('[')) throw notOurs();
  let parts: unknown;
  try {
    parts = JSON.parse(text);
  } catch {
    throw notOurs();
  }
  if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === 'string') || !isId(parts[2])) throw notOurs();
  return { order: parts[0], key: parts[1], id: parts[2] };
}

/**
 * `rows` were fetched with limit + 1, so one extra row tells whether a next page exists.
 * `count` runs only if the client selects totalCount (a getter read by that field's resolver).
 */
export function toConnection<T extends { id: string }>(
  rows: T[],
  limit: number,
  count: number | (() => Promise<number>),
  cursorOf: (node: T) => string = (node) => encodeCursor(node.id),
): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  let counted: number | Promise<number> | undefined = typeof count === 'number' ? count : undefined;
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      return (counted ??= (count as () => Promise<number>)());
    },
  };
}
