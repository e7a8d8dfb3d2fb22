// The GraphiQL playground served at GET /graphql: the editor, the docs, history and a headers
// editor (for `Authorization: Bearer <token>`), bundled from npm with its Monaco workers.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPlaygroundFetcher } from './fetcher';

const DEFAULT_QUERY = `# The delfin API: queries and mutations over HTTP,
# subscriptions over graphql-ws (same /graphql path).
# A token goes in the Headers tab below:
#   { "Authorization": "Bearer <token>" }
# (sent with each request and in the WebSocket's connection_init).
# Ctrl-Enter runs; the Docs button (top left) lists every type.

query Storages {
  storages(first: 10) {
    totalCount
    edges { node { id name vendor model status syncState totalCapacity } }
  }
}
`;

const url = new URL('/graphql', window.location.href).toString();
const fetcher = createPlaygroundFetcher(url);

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} defaultEditorToolsVisibility="headers" />
  </StrictMode>,
);
