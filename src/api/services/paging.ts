// Cursor paging shared by every connection: keyset on the row id (UUIDv7, so creation order),
// the cursor being the id in base64url. A page holds at most MAX_PAGE_SIZE rows.
import { badInput } from '../../errors.js';
import { isId } from '../../lib/ids.js';
import type { Connection } from '../types/connection.js';

export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  limit: number;
  afterId?: string;
}

/** Why `first` cannot be a page size, in words naming the limit; undefined when it can. */
export function pageSizeProblem(first: number): string | undefined {
  if (Number.isInteger(first) && first >= 0 && first <= MAX_PAGE_SIZE) return undefined;
  return `first must be between 0 and ${MAX_PAGE_SIZE} (the largest page); got ${first}. Ask for the next page with after: pageInfo.endCursor.`;
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const limit = first ?? 50;
  const problem = pageSizeProblem(limit);
  if (problem) throw badInput(problem, 'first');
  return { limit, afterId: after ? decodeCursor(after) : undefined };
}

export const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isId(id)) throw badInput('after is not a cursor given by this API (use pageInfo.endCursor)', 'after');
  return id;
}

/** `rows` were fetched with limit + 1, so one extra row tells whether a next page exists. */
export function toConnection<T extends { id: string }>(rows: T[], limit: number, totalCount: number): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
