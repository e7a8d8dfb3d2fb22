// graphql-ws on the api's port: each connection authenticates once, in connection_init
// (payload field `authorization: "Bearer <token>"`); a refused one is closed with 4401. Every
// operation then goes through the same rules as over HTTP (./operation-rules.ts: limits,
// introspection switch, what errors show), and one connection holds at most
// `maxSubscriptionsPerConnection` operations at a time. A browser page of another origin is
// refused at the upgrade (./allowed-origins.ts).
import type { Server } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { authenticate, authorizationOf, type Principal } from '../auth/authenticate.js';
import type { TokenTable } from '../../auth/tokens.js';
import { createContext, type ApiServices } from '../context.js';
import type { ApiLimits } from '../rules/limits.js';
import { operationChecker, type OperationRules } from '../rules/operation-rules.js';
import { sharedSubscribe, type SharedExecutionArgs } from '../subscriptions/shared-execution.js';
import { nextSender } from './next-frames.js';
import type { OriginPolicy } from './allowed-origins.js';

/** graphql-ws close code for a connection that could not be authenticated (4403: forbidden). */
export const CLOSE_UNAUTHENTICATED = 4401;

export interface WsOptions {
  httpServer: Server;
  origins: OriginPolicy;
  schema: GraphQLSchema;
  services: ApiServices;
  tokens: TokenTable;
  limits: ApiLimits;
  rules: OperationRules;
  logger: Logger;
}

type Extra = {
  socket: WebSocket;
  request: IncomingMessage;
  principal?: Principal;
};

export function startWsServer(o: WsOptions): { dispose(): void | Promise<void> } {
  // ws accepts 100 MiB messages by default: hold them to the HTTP body limit.
  // Attached by hand (noServer), not with `server`: ws would re-emit the HTTP server's listen
  // errors, which graphql-ws prints with a stack; start-up reports them in one line instead.
  const wsServer = new WebSocketServer({
    noServer: true,
    path: '/graphql',
    maxPayload: o.limits.maxBodyBytes,
    // A page of another site is refused at the upgrade (403), before any GraphQL.
    verifyClient: (info, done) => {
      if (o.origins.allowsRequest(info.req)) return done(true);
      o.logger.warn({ origin: info.origin, remoteAddress: info.req.socket.remoteAddress }, 'WebSocket refused: its Origin is not allowed (DELFIN_ALLOWED_ORIGINS)');
      done(false, 403, 'Forbidden: this Origin may not open a WebSocket to the api (DELFIN_ALLOWED_ORIGINS)');
    },
  });
  o.httpServer.on('upgrade', (req, socket, head) => wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req)));
  const check = operationChecker(o.schema, o.rules);
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => o.rules.formatError(e.toJSON(), e));
  return useServer<Record<string, unknown>, Extra>(
    {
      schema: o.schema,
      // One execution and one serialised payload per event and operation, shared by the subscribers of both.
      subscribe: sharedSubscribe,
      onConnect(ctx) {
        try {
          ctx.extra.principal = authenticate(o.tokens, {
            authorization: authorizationOf(ctx.connectionParams),
            remoteAddress: ctx.extra.request.socket.remoteAddress,
          });
          return true;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          // A close reason holds at most 123 bytes; the messages are shorter.
          ctx.extra.socket.close(CLOSE_UNAUTHENTICATED, err.message.slice(0, 120));
          return false;
        }
      },
      onSubscribe(ctx, id, payload) {
        // The new operation is already counted in ctx.subscriptions.
        const open = Object.keys(ctx.subscriptions).length;
        if (open > o.limits.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`This connection already has ${open - 1} operations open, the most one connection may hold (${o.limits.maxSubscriptionsPerConnection}); complete one or open another connection.`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: o.limits.maxSubscriptionsPerConnection },
            }),
          ];
        }
        const checked = check(payload.query, payload.operationName);
        if ('errors' in checked) return checked.errors;
        // Results without errors are serialised once per event and written by sendNext.
        const args: SharedExecutionArgs = {
          schema: o.schema, document: checked.document, operationName: payload.operationName, variableValues: payload.variables,
          sendNext: nextSender(ctx.extra.socket, ctx.extra.request.socket, id),
        };
        return args;
      },
      // Every error a client receives is formatted by the shared rules, as Apollo's are.
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: format(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      context: (ctx) => createContext(o.services, ctx.extra.principal!),
    },
    wsServer,
  );
}
