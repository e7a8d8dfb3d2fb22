// The api role: Apollo Server over HTTP and graphql-ws over WebSocket, both on one port at
// /graphql, plus /healthz (alive) and /readyz (PostgreSQL and NATS answer), the GraphiQL
// playground (GET /graphql from a browser) and the dashboard at /ui (./web-assets.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../logger.js';
import { createContext, type ApiContext, type ApiServices } from './context.js';
import { mountWebAssets } from './web-assets.js';
import { sharedSubscribe } from './shared-execution.js';

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
}

export async function startApiServer(opts: ApiServerOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const app = express();
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>, { ctx?: ApiContext }>(
    {
      schema: opts.schema,
      context: () => createContext(opts.services),
      // One execution per event and operation, shared by the subscribers of both.
      subscribe: sharedSubscribe,
    },
    wsServer,
  );

  const apollo = new ApolloServer<ApiContext>({
    schema: opts.schema,
    introspection: true,
    // The process owns its signals (src/main.ts) and stops every role in order.
    stopOnTerminationSignals: false,
    plugins: [
      // Apollo's default landing page loads Apollo Sandbox from a CDN; ours is bundled (web/).
      ApolloServerPluginLandingPageDisabled(),
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
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: async () => createContext(opts.services) }));
  app.use(badRequestBody);

  await listen(httpServer, opts.host, opts.port);
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/graphql`;
  opts.logger.info({ url }, 'api listening (GraphQL over HTTP and WebSocket)');
  return {
    url,
    async stop() {
      await apollo.stop();
    },
  };
}

/** A body that is not JSON (or too large) gets a GraphQL-shaped error, not an HTML page with a stack. */
function badRequestBody(err: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction): void {
  if (!err.status || err.status >= 500) return next(err);
  const message =
    err.type === 'entity.too.large'
      ? 'The request body is larger than the 1 MB this server accepts.'
      : `The request body is not valid JSON: ${err.message}.`;
  res.status(err.status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
}

async function readiness(opts: ApiServerOptions): Promise<Record<string, string>> {
  const database = await opts.services.sql.query('select 1').then(() => 'ok', (e: Error) => e.message);
  const nats = opts.nc.isClosed() ? 'closed' : 'ok';
  return { database, nats };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
