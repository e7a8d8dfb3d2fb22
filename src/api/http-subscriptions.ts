// A subscription posted over HTTP would run as a query and fail inside type-graphql: refuse it
// up front, saying where subscriptions go. Its arguments are checked first, as over graphql-ws,
// so an unknown or malformed id answers NOT_FOUND or BAD_USER_INPUT whichever the transport;
// the event stream that check opens is closed at once.
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { createSourceEventStream, GraphQLError } from 'graphql';

export function refuseHttpSubscriptions<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          if (request.operation?.operation !== 'subscription') return;
          await throwArgumentErrors(request);
          throw new GraphQLError('Subscriptions run over WebSocket (graphql-ws protocol) at this same URL, not over HTTP.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        },
      };
    },
  };
}

/** Runs the subscription's own checks (its subscribe resolver) and throws the first error they give. */
async function throwArgumentErrors<T extends object>(request: GraphQLRequestContextDidResolveOperation<T>): Promise<void> {
  const source = await createSourceEventStream({
    schema: request.schema,
    document: request.document,
    operationName: request.operationName,
    variableValues: request.request.variables,
    contextValue: request.contextValue,
  });
  if (Symbol.asyncIterator in source) {
    await source[Symbol.asyncIterator]().return?.();
    return;
  }
  const error = source.errors?.find((e) => e.extensions?.code || isVariableError(e));
  if (!error) return; // nothing the client can act on: the refusal says what to do
  throw new GraphQLError(error.message, {
    nodes: error.nodes,
    path: error.path,
    originalError: error.originalError,
    extensions: { code: 'BAD_USER_INPUT', ...error.extensions, http: { status: 400 } },
  });
}

/** graphql-js reports a variable of the wrong type without a code; Apollo answers BAD_USER_INPUT. */
function isVariableError(e: GraphQLError): boolean {
  return /^Variable "\$[^"]+"/.test(e.message);
}
