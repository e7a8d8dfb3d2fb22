// A subscription posted over HTTP would run as a query and fail inside type-graphql: refuse it
// up front, saying where subscriptions go.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

export function refuseHttpSubscriptions<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError('Subscriptions run over WebSocket (graphql-ws protocol) at this same URL, not over HTTP.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        },
      };
    },
  };
}
