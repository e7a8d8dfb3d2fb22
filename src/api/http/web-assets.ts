// The browser pages the api serves, built by Vite from web/ into dist/web (`npm run build`):
// the GraphiQL playground at GET /graphql when a browser asks for HTML, and the dashboard at
// /ui. Every asset is local: the pages work without the internet.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../logger.js';

/** dist/web, seen from dist/src/api/http (where this file runs from). */
export const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

export interface WebAssetsOptions {
  /** Serve GraphiQL at GET /graphql (DELFIN_PLAYGROUND). */
  playground: boolean;
  logger: Logger;
}

/** A browser navigating to /graphql asks for text/html; GraphQL clients ask for JSON. */
function wantsPage(req: Request): boolean {
  const accept = req.get('accept') ?? '';
  return accept.includes('text/html') && req.query['query'] === undefined;
}

function notBuilt(_req: Request, res: Response): void {
  res.status(404).type('text/plain').send('The web pages are not built: run `npm run build` (it builds web/ into dist/web).\n');
}

/** Mounted before Apollo's middleware, so GET /graphql with Accept: text/html gets the page. */
export function mountWebAssets(app: Express, opts: WebAssetsOptions): void {
  const built = existsSync(WEB_DIR + 'index.html');
  if (!built) opts.logger.warn({ dir: WEB_DIR }, 'web pages not built: /ui and the playground answer 404 (run `npm run build`)');
  if (opts.playground) {
    app.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
      if (!wantsPage(req)) return next();
      if (!built) return notBuilt(req, res);
      res.set('cache-control', 'no-cache').sendFile('playground.html', { root: WEB_DIR });
    });
  } else {
    app.get('/ui/playground.html', (_req, res) => void res.status(404).type('text/plain').send('The playground is off (DELFIN_PLAYGROUND=off).\n'));
  }
  if (!built) {
    app.use('/ui', notBuilt);
    return;
  }
  // Vite names assets by content hash: they never change, so browsers may keep them.
  app.use('/ui/assets', express.static(WEB_DIR + 'assets', { immutable: true, maxAge: '1y' }));
  app.use('/ui', express.static(WEB_DIR, { index: 'index.html', cacheControl: true, maxAge: 0 }));
}
