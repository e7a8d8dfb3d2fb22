// Requests to /v1 that a page of another site could make the operator's browser send (as
// ../http/cross-site-requests.ts does for /graphql). A GET changes nothing and a foreign page
// cannot read its answer (no CORS headers). A PUT or DELETE is preflighted by a browser, and
// the api grants no preflight. A POST can be sent unasked (a form, or a fetch without a body:
// POST /v1/storages/sync has none): it is refused when it is a form's or text/plain, or when
// it carries the Origin of another site (browsers send Origin with every cross-site POST).
import type { NextFunction, Request, Response } from 'express';
import { OriginPolicy } from '../websocket/allowed-origins.js';
import { RestError } from './errors.js';

const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

export function refuseCrossSiteWrites(origins: OriginPolicy) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return next();
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const problem = SIMPLE_TYPES.has(type)
      ? `a POST to /v1 with content-type ${type} could come from a form of another site; send application/json`
      : !origins.allowsRequest(req)
        ? `a POST to /v1 from a page of ${req.get('origin')} (another site) is refused`
        : undefined;
    if (!problem) return next();
    const err = new RestError(400, 'BadRequest', `Refused (Cross-Site Request Forgery): ${problem}.`);
    res.status(err.status).json(err.body);
  };
}
