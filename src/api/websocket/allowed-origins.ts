// Which web pages may open a WebSocket to the api. Browsers apply no CORS to WebSockets, so
// without this check any site the operator visits could drive the API through graphql-ws (with
// the loopback default, as admin). Allowed: clients that send no Origin (programs, not
// browsers), the api's own origin (the dashboard and the playground it serves), and the origins
// the operator lists (DELFIN_ALLOWED_ORIGINS, or `api.allowedOrigins` in the policy file).
import type { IncomingMessage } from 'node:http';
import { normalizeOrigin } from '../../lib/origin.js';

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(allowedOrigins.map((o) => normalizeOrigin(o) ?? o));
  }

  /** Whether an upgrade request with these headers may become a WebSocket. */
  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true; // not a browser: tokens (or loopback) still apply
    const normalized = normalizeOrigin(origin);
    if (!normalized) return false; // "null" (sandboxed frames, file://) and anything malformed
    if (this.allowed.has(normalized)) return true;
    // The api's own pages: same host and port as the request was sent to.
    return host !== undefined && new URL(normalized).host === host.toLowerCase();
  }

  allowsRequest(req: IncomingMessage): boolean {
    return this.allows(req.headers.origin, req.headers.host);
  }
}
