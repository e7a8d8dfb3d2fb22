// Delfin's REST API under /v1, over the same services as GraphQL. Each request is
// authenticated (the same tokens and roles), matched to its operation in Delfin's document,
// checked against the role its GraphQL counterpart needs, validated against the document
// (400 with Delfin's ErrorSpec), then answered by its route (./routes.ts); an operation of the
// document without a route answers 501.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { TokenTable } from '../../auth/tokens.js';
import { includesRole, needs } from '../../auth/roles.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { authenticateRequest, type Principal } from '../auth/authenticate.js';
import { createContext, type ApiServices } from '../context.js';
import type { ApiLimits } from '../rules/limits.js';
import { OriginPolicy } from '../websocket/allowed-origins.js';
import { refuseCrossSiteWrites } from './cross-site.js';
import { invalidInput, RestError, restErrorOf } from './errors.js';
import { delfinApi, describeErrors, type OpenApiRequest } from './openapi/delfin-api.js';
import { METHODS } from './openapi/errata.js';
import { notHeld, NOT_HELD_MESSAGE } from './resources/not-held.js';
import { REST_ROUTES } from './routes.js';
import type { RestAnswer, RestRoute } from './route.js';

export interface RestRouterOptions {
  services: ApiServices;
  tokens: TokenTable;
  limits: ApiLimits;
  logger: Logger;
  allowedOrigins: readonly string[];
}

export function restRouter(opts: RestRouterOptions): express.Router {
  // Loaded now rather than on the first request; a document that does not load is logged at start.
  delfinApi().catch((err: unknown) => opts.logger.error({ err }, "Delfin's OpenAPI document did not load: /v1 answers 500"));
  const router = express.Router();
  router.use(refuseCrossSiteWrites(new OriginPolicy(opts.allowedOrigins)));
  router.use(express.json({ limit: opts.limits.maxBodyBytes }));
  router.use((req, res) => void answer(opts, req, res));
  router.use(badBody(opts.limits.maxBodyBytes));
  return router;
}

async function answer(opts: RestRouterOptions, req: Request, res: Response): Promise<void> {
  try {
    const principal = authenticated(opts.tokens, req);
    const api = await delfinApi();
    const request: OpenApiRequest = {
      method: req.method, path: req.baseUrl + req.path, query: req.query as Record<string, string>, headers: req.headers as Record<string, string>, body: req.body,
    };
    const operation = operationOf(api, request);
    const route: RestRoute = REST_ROUTES[operation.operationId!] ?? { needs: 'storages', handle: notHeld(NOT_HELD_MESSAGE(operation.operationId!)) };
    mustHaveRole(principal, route);
    mustBeValid(api, request, operation);
    const { params } = api.router.parseRequest(request, operation);
    const ctx = createContext(opts.services, principal);
    send(res, await route.handle({ params, query: req.query as Record<string, string>, body: req.body, ctx, principal }));
  } catch (err) {
    const e = restErrorOf(err);
    if (e.status >= 500 && e.status !== 501 && e.status !== 503) opts.logger.error({ err, path: req.path }, 'REST request failed');
    if (e.status === 401) res.set('www-authenticate', 'Bearer');
    res.status(e.status).json(e.body);
  }
}

type Api = Awaited<ReturnType<typeof delfinApi>>;
type Operation = NonNullable<ReturnType<Api['router']['matchOperation']>>;

/** The document's operation for the request, or 405 (the path has others) or 404. */
function operationOf(api: Api, request: OpenApiRequest): Operation {
  const operation = api.router.matchOperation(request);
  if (operation) return operation;
  const otherMethod = METHODS.some((method) => api.router.matchOperation({ ...request, method }));
  throw otherMethod
    ? new RestError(405, 'MethodNotAllowed', `${request.method} is not allowed on ${request.path}.`)
    : new RestError(404, 'NotFound', `There is no ${request.path} in Delfin's API.`);
}

/** 400 InvalidInput naming each way the request differs from the document. */
function mustBeValid(api: Api, request: OpenApiRequest, operation: Operation): void {
  const validation = api.validator.validateRequest(request, operation);
  if (validation.valid) return;
  const problems = describeErrors(validation.errors);
  throw invalidInput(`The request does not match Delfin's API: ${problems.join('; ')}.`, problems);
}

function send(res: Response, a: RestAnswer): void {
  res.status(a.status);
  if (a.body === undefined) res.end();
  else res.json(a.body);
}

/** The caller, or Delfin's 401 NotAuthorized with our sentence. */
function authenticated(tokens: TokenTable, req: Request): Principal {
  try {
    return authenticateRequest(tokens, req);
  } catch (err) {
    if (err instanceof AppError) throw new RestError(401, 'NotAuthorized', err.message);
    throw err;
  }
}

/** The role of the GraphQL operation it answers like, or Delfin's 403 Forbidden. */
function mustHaveRole(principal: Principal, route: RestRoute): void {
  const role = needs(route.needs);
  if (!includesRole(principal.role, role)) {
    throw new RestError(403, 'Forbidden', `This operation needs the ${role} role (as GraphQL's ${route.needs}); this token has the ${principal.role} role.`);
  }
}

/** A body that is not JSON, or too large: Delfin's ErrorSpec, not an HTML page. */
function badBody(maxBytes: number) {
  return (err: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction): void => {
    if (!err.status || err.status >= 500) return next(err);
    const tooLarge = err.type === 'entity.too.large';
    const e = tooLarge
      ? new RestError(413, 'RequestEntityTooLarge', `The request body is larger than the ${maxBytes} bytes this server accepts.`)
      : invalidInput(`The request body is not valid JSON: ${err.message}.`);
    res.status(e.status).json(e.body);
  };
}

