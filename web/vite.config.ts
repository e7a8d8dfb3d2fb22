// Builds the browser pages the api serves (src/api/web-assets.ts) into dist/web:
//   index.html       the dashboard, at /ui
//   playground.html  GraphiQL, served at GET /graphql to browsers
// One build with two pages, so they share their chunks (React, graphql). Every asset is
// bundled from npm: the pages load nothing from the internet.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  // The api serves dist/web at /ui, the playground page included (its assets are /ui/assets/...).
  base: '/ui/',
  plugins: [react()],
  resolve: {
    alias: {
      // src/client/client.ts imports `ws` for Node; in a browser the native WebSocket serves.
      ws: here('src/shims/ws.ts'),
    },
  },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    // GraphiQL's Monaco editor is large; its size is known and not a warning worth reading.
    chunkSizeWarningLimit: 5000,
    reportCompressedSize: false,
    rollupOptions: {
      input: { dashboard: here('index.html'), playground: here('playground.html') },
    },
  },
  worker: { format: 'es' },
});
