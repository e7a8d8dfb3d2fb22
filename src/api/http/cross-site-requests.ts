// Requests to /graphql that a page of another site could make the operator's browser send.
// Browsers send some requests across sites without asking the server first ("simple" ones: a
// GET, or a POST of a form or of text/plain). The api has no cookies, but without tokens a
// loopback client is admin, and the browser on the operator's machine is a loopback client: so
// a request that can change something must be one a foreign page cannot send unasked.
// - A POST must say `content-type: application/json` (or another type that is not a form's or
//   text/plain): a browser asks the api first (a CORS preflight) and the api grants nothing.
// - A GET runs queries only (Apollo refuses a mutation over GET with 405; subscriptions go over
//   WebSocket), which change nothing, and a foreign page cannot read the answer (no CORS
//   headers). So GET is served, as the GraphQL-over-HTTP spec asks and clients such as urql use.
import type { NextFunction, Request, Response } from 'express';

/** The content types a page may POST to another site without a preflight. */
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

export function refuseCrossSitePosts(req: Request, res: Response, next: NextFunction): void {
  // GET is served (above); other methods than POST are refused by Apollo (405).
  if (req.method !== 'POST') return next();
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && !SIMPLE_TYPES.has(type)) return next();
  res.status(400).json({
    errors: [{
      message: `A POST to /graphql must have the header content-type: application/json${type ? `, not ${type}` : ''}: such a request could come from a page of another site (Cross-Site Request Forgery), so it is refused.`,
      extensions: { code: 'BAD_REQUEST' },
    }],
  });
}
