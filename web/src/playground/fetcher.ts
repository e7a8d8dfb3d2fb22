// GraphiQL's fetcher: HTTP POST to /graphql with the headers of GraphiQL's headers editor, and
// subscriptions over graphql-ws on the same path. The WebSocket has no headers: its
// `authorization` goes in the connection_init payload, as the server reads it. A changed
// Authorization header opens a new WebSocket with it.
import { createGraphiQLFetcher, type Fetcher, type FetcherOpts } from '@graphiql/toolkit';
import { createClient, type Client } from 'graphql-ws';

/** The value of one header, whatever the case of its name. */
function header(headers: FetcherOpts['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name && typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

export function webSocketUrl(httpUrl: string): string {
  const u = new URL(httpUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

export function createPlaygroundFetcher(url: string): Fetcher {
  let current: { authorization: string | undefined; ws: Client; fetcher: Fetcher } | undefined;

  function fetcherFor(authorization: string | undefined): Fetcher {
    if (current && current.authorization === authorization) return current.fetcher;
    void current?.ws.dispose();
    const ws = createClient({
      url: webSocketUrl(url),
      lazy: true,
      connectionParams: authorization ? { authorization } : {},
    });
    current = { authorization, ws, fetcher: createGraphiQLFetcher({ url, wsClient: ws }) };
    return current.fetcher;
  }

  return (params, opts) => fetcherFor(header(opts?.headers, 'authorization'))(params, opts);
}
