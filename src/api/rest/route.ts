// What a REST operation is: the role it needs (the GraphQL operation it answers like) and its
// handler, from a validated request to an answer (status and JSON body).
import type { Principal } from '../auth/authenticate.js';
import type { Operation } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';

export interface RestRequest {
  /** Path parameters, as sent. */
  params: Readonly<Record<string, string>>;
  /** Query parameters, validated against the document (numbers still as text). */
  query: Readonly<Record<string, string>>;
  body: any;
  /** The same services, loaders and caller a GraphQL resolver gets. */
  ctx: ApiContext;
  principal: Principal;
}

export interface RestAnswer {
  status: number;
  /** Absent: an empty body (202 Accepted, 200 of a delete). */
  body?: unknown;
}

export interface RestRoute {
  /** The GraphQL operation whose role this needs (src/auth/roles.ts). */
  needs: Operation;
  handle(req: RestRequest): Promise<RestAnswer>;
}

/** Routes by operation key: "GET /v1/storages/{storage_id}" (./openapi/errata.ts). */
export type RestRoutes = Record<string, RestRoute>;

export const ok = (body: unknown): RestAnswer => ({ status: 200, body });
export const accepted = (): RestAnswer => ({ status: 202 });
export const emptyOk = (): RestAnswer => ({ status: 200 });
