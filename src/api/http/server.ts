// The api role: Apollo Server over HTTP and graphql-ws over WebSocket, both on one port at
// /graphql, plus /healthz (alive) and /readyz (PostgreSQL and NATS answer), which stay open, the
// GraphiQL playground (GET /graphql from a browser) and the dashboard at /ui (./web-assets.ts),
// where GET / sends a person, and Delfin's REST API under /v1 (../rest/). Every GraphQL request
// is authenticated before it is parsed (src/api/auth/), and both transports apply the same rules
// (./operation-rules.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lookup } from 'node:dns/promises';
import { ConfigError } from '../../config.js';
import { quoteShort } from '../../lib/quote.js';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { NatsConnection } from '@nats-io/transport-node';
import { isConnected } from '../../bus/connection-state.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { authenticateRequest } from '../auth/authenticate.js';
import type { TokenTable } from '../../auth/tokens.js';
import { createContext, type ApiContext, type ApiServices } from '../context.js';
import { mountWebAssets } from './web-assets.js';
import { deepLiteralError, jsonFieldNames } from '../rules/deep-literals.js';
import { refuseHttpSubscriptions } from './http-subscriptions.js';
import type { ApiLimits } from '../rules/limits.js';
import { operationRules } from '../rules/operation-rules.js';
import { refuseCrossSitePosts } from './cross-site-requests.js';
import { startWsServer } from '../websocket/ws-server.js';
import { restRouter } from '../rest/rest-router.js';
import { OriginPolicy } from '../websocket/allowed-origins.js';

export interface ApiServerOptions {
  host: string;
  port: number;
  schema: GraphQLSchema;
  services: ApiServices;
  nc: NatsConnection;
  logger: Logger;
  /** Routes of other parts (the Prometheus endpoint), mounted beside /graphql. */
  mount?: (app: express.Express) => void;
  /** Serve the GraphiQL playground at GET /graphql (DELFIN_PLAYGROUND). */
  playground: boolean;
  tokens: TokenTable;
  limits: ApiLimits;
  introspection: boolean;
  /** Origins whose pages may open a WebSocket, besides the api's own. */
  allowedOrigins: readonly string[];
}

export async function startApiServer(opts: ApiServerOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const app = express();
  const httpServer = createServer(app);
  const { tokens, limits } = opts;
  const rules = operationRules(limits, opts.introspection, opts.logger);
  const wsCleanup = startWsServer({ httpServer, origins: new OriginPolicy(opts.allowedOrigins), schema: opts.schema, services: opts.services, tokens, limits, rules, logger: opts.logger });

  const apollo = new ApolloServer<ApiContext>({
    schema: opts.schema,
    // The introspection switch is one of the shared rules (rules.validationRules); Apollo's own
    // would be a second one, worded for Apollo's configuration rather than ours.
    introspection: true,
    // Queries over GET are served (clients such as urql send them so); a POST a page of another
    // site could send is refused before Apollo (./cross-site-requests.ts); mutations over GET are
    // refused by Apollo (405).
    csrfPrevention: false,
    // Stack traces could carry a host or a reason meant for the logs only.
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    parseOptions: rules.parseOptions,
    validationRules: rules.validationRules,
    formatError: rules.formatError,
    // The process owns its signals (src/main.ts) and stops every role in order.
    stopOnTerminationSignals: false,
    plugins: [
      // Apollo's default landing page loads Apollo Sandbox from a CDN; ours is bundled (web/).
      ApolloServerPluginLandingPageDisabled(),
      // No field carries a cache hint; Apollo's cache-control plugin would still wrap every
      // field's resolver to compute a policy (a page of volumes is thousands of fields).
      ApolloServerPluginCacheControlDisabled(),
      refuseHttpSubscriptions<ApiContext>(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const checks = await readiness(opts);
    res.status(Object.values(checks).every((c) => c === 'ok') ? 200 : 503).json(checks);
  });
  opts.mount?.(app);
  mountWebAssets(app, { playground: opts.playground, logger: opts.logger });
  // A person opening the api's address gets the dashboard.
  app.get('/', (_req, res) => res.redirect(302, '/ui/'));
  const httpContext = async ({ req }: { req: Request }) => createContext(opts.services, authenticateHttp(tokens, req));
  app.use('/graphql', refuseCrossSitePosts, express.json({ limit: limits.maxBodyBytes }), refuseDeepLiterals(opts.schema, tokens, limits), expressMiddleware(apollo, { context: httpContext }));
  // Delfin's REST API, over the same services, tokens, roles and limits (docs/delfin-rest.md).
  app.use('/v1', restRouter({ services: opts.services, tokens, limits, logger: opts.logger, allowedOrigins: opts.allowedOrigins }));
  app.use(badRequestBody(limits.maxBodyBytes));

  await listen(httpServer, opts.host, opts.port);
  const { port } = httpServer.address() as AddressInfo;
  const origin = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  const url = `${origin}/graphql`;
  const ui = `${origin}/ui/`;
  opts.logger.info({ url, ui }, `api listening: GraphQL at ${url} (HTTP and WebSocket), dashboard at ${ui}`);
  if (tokens.empty) {
    opts.logger.warn('no tokens configured (DELFIN_TOKENS or auth.tokens): only loopback clients are served, each as admin');
  }
  return {
    url,
    async stop() {
      await apollo.stop();
    },
  };
}

/** UNAUTHENTICATED answers with HTTP 401, before the operation is even parsed. */
function authenticateHttp(tokens: TokenTable, req: Request) {
  try {
    return authenticateRequest(tokens, req);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } } });
  }
}

/**
 * A literal nested too deep would overflow the parser: refused before Apollo parses it
 * (./deep-literals.ts). A client that is not authenticated is left to Apollo, which answers 401.
 */
function refuseDeepLiterals(schema: GraphQLSchema, tokens: TokenTable, limits: ApiLimits) {
  const jsonFields = jsonFieldNames(schema);
  return (req: Request, res: Response, next: NextFunction): void => {
    const query: unknown = req.body?.query;
    const error = typeof query === 'string' ? deepLiteralError(query, limits.maxJsonDepth, jsonFields) : undefined;
    if (!error || !isAuthenticated(tokens, req)) return next();
    res.status(400).json({ errors: [{ message: error.message, extensions: error.extensions }] });
  };
}

function isAuthenticated(tokens: TokenTable, req: Request): boolean {
  try {
    authenticateRequest(tokens, req);
    return true;
  } catch {
    return false;
  }
}

/** A body that is not JSON (or too large) gets a GraphQL-shaped error, not an HTML page with a stack. */
function badRequestBody(maxBytes: number) {
  return (err: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction): void => {
    if (!err.status || err.status >= 500) return next(err);
    const tooLarge = err.type === 'entity.too.large';
    const message = tooLarge
      ? `The request body is larger than the ${maxBytes} bytes this server accepts.`
      : `The request body is not valid JSON: ${err.message}.`;
    res.status(err.status).json({ errors: [{ message, extensions: { code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' } }] });
  };
}

async function readiness(opts: ApiServerOptions): Promise<Record<string, string>> {
  const database = await opts.services.sql.query('select 1').then(() => 'ok', (e: Error) => e.message);
  const nats = opts.nc.isClosed() ? 'closed' : isConnected(opts.nc) ? 'ok' : 'disconnected (reconnecting)';
  return { database, nats };
}

/** Listens on HOST:PORT; a host that does not resolve or an address that cannot be had is a ConfigError naming them. */
async function listen(server: Server, host: string, port: number): Promise<void> {
  // Resolved first: a listen error would also reach the WebSocket server, which prints it with a stack.
  await lookup(host).catch((err: NodeJS.ErrnoException) => {
    throw new ConfigError(`environment variable HOST: cannot listen on ${quoteShort(host)} (${err.code ?? err.message}: not an address of this machine)`);
  });
  return new Promise((resolve, reject) => {
    const refuse = (err: NodeJS.ErrnoException) =>
      reject(new ConfigError(`environment variables HOST and PORT: cannot listen on ${quoteShort(host)} port ${port} (${err.code ?? err.message})`));
    server.once('error', refuse);
    server.listen(port, host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
}
