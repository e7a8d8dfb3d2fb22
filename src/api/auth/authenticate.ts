// Who is calling: a bearer token's role, or, on a server with no token configured, any
// loopback client as admin. Used for every HTTP operation and every graphql-ws connection.
import { isLoopbackAddress } from '../../lib/loopback.js';
import { AppError } from '../../errors.js';
import type { Role } from '../../auth/roles.js';
import type { TokenTable } from '../../auth/tokens.js';

export interface Principal {
  role: Role;
  /** The token's name (never the token), or "loopback". */
  name: string;
}

export interface Credentials {
  /** The Authorization header, or the `authorization` field of graphql-ws connection_init. */
  authorization?: unknown;
  remoteAddress?: string;
}

const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message);

/** Throws UNAUTHENTICATED with a sentence that never repeats what was sent. */
export function authenticate(tokens: TokenTable, c: Credentials): Principal {
  if (tokens.empty) {
    if (isLoopbackAddress(c.remoteAddress)) return { role: 'admin', name: 'loopback' };
    throw unauthenticated('This server has no tokens configured and serves loopback clients only.');
  }
  if (c.authorization === undefined || c.authorization === null || c.authorization === '') {
    throw unauthenticated('Authentication required: send "Authorization: Bearer <token>".');
  }
  const m = typeof c.authorization === 'string' ? /^Bearer +(\S+) *$/i.exec(c.authorization) : null;
  if (!m) throw unauthenticated('The authorization is not of the form "Bearer <token>".');
  const entry = tokens.find(m[1]!);
  if (!entry) throw unauthenticated('The bearer token is not valid.');
  return { role: entry.role, name: entry.name };
}

/** An HTTP request's caller: its Authorization header and its peer address. */
export function authenticateRequest(
  tokens: TokenTable,
  req: { headers: { authorization?: string }; socket: { remoteAddress?: string } },
): Principal {
  return authenticate(tokens, { authorization: req.headers.authorization, remoteAddress: req.socket.remoteAddress });
}

/** The authorization field of a connection_init payload, either spelling. */
export function authorizationOf(payload: Readonly<Record<string, unknown>> | undefined): unknown {
  return payload?.['authorization'] ?? payload?.['Authorization'];
}
