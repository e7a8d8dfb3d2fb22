// What pools, volumes, disks, controllers and ports share: a list across storages with Delfin's
// filters and paging (`storage_id`, names and native ids narrow the read in PostgreSQL; every
// filter is checked on the answer), and a show by id.
import { isId } from '../../../lib/ids.js';
import type { Operation } from '../../../auth/roles.js';
import type { ApiContext } from '../../context.js';
import type { Connection } from '../../types/connection.js';
import { resourceNotFound } from '../errors.js';
import { delfinList } from '../listing.js';
import { ok, type RestRoutes } from '../route.js';

export interface InventoryKind<R> {
  /** "/v1/storage-pools" */
  path: string;
  /** The answer's list field: "storage_pools". */
  listField: string;
  /** Delfin's not-found error code and what it names: "StoragePoolNotFound", "Storage pool". */
  notFound: [code: string, what: string];
  needs: Operation;
  /** Filters PostgreSQL applies (Delfin's parameter → the row's field): text that the answer shows as stored. */
  pushedDown: Readonly<Record<string, string>>;
  list(ctx: ApiContext, storageId: string | null, first: number, after: string | undefined, equals: Record<string, string>): Promise<Connection<R>>;
  get(ctx: ApiContext, id: string): Promise<R | null>;
  map(row: R): Record<string, unknown>;
}

export function inventoryRoutes<R>(kind: InventoryKind<R>): RestRoutes {
  return {
    [`GET ${kind.path}`]: {
      needs: kind.needs,
      async handle({ ctx, query }) {
        const storageId = query.storage_id;
        // A storage id that cannot be one of ours matches nothing, as an unknown one does.
        if (storageId !== undefined && !isId(storageId)) return ok({ [kind.listField]: [] });
        const equals = Object.fromEntries(Object.entries(kind.pushedDown).filter(([param]) => query[param] !== undefined).map(([param, field]) => [field, query[param]!]));
        const items = await delfinList(query, (first, after) => kind.list(ctx, storageId ?? null, first, after, equals), kind.map);
        return ok({ [kind.listField]: items });
      },
    },
    [`GET ${kind.path}/{id}`]: {
      needs: kind.needs,
      async handle({ ctx, params }) {
        const row = await kind.get(ctx, params.id!);
        if (!row) throw resourceNotFound(kind.notFound[0], kind.notFound[1], params.id!);
        return ok(kind.map(row));
      },
    },
  };
}
