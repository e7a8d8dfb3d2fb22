// One undici Pool per array (host and port) in this process, shared by every driver instance
// that talks to it, as its request limit is (request-limiter.ts): keep-alive connections, at most
// as many as the requests the array may have in flight. Each new connection is checked against
// the trust policy (tls-trust.ts) before it carries a request.
import type { TLSSocket } from 'node:tls';
import { buildConnector, Pool } from 'undici';
import { refusal, type TrustPolicy } from '../tls-trust.js';

export interface PoolSettings extends TrustPolicy {
  host: string;
  port: number;
  caCertificate: string | null;
  /** Connections at most: the array's request limit. */
  connections: number;
  /** Deadline of a TCP connection and its TLS handshake. */
  connectTimeoutMs: number;
}

export const MAX_BODY_BYTES = 64 * 1024 * 1024;

const pools = new Map<string, { settings: string; pool: Pool }>();

/**
 * The pool of an array. Other settings (trust, limit, timeout) than its pool's replace that pool,
 * which finishes the requests it holds and closes: a connection trusted under one policy never
 * carries a request under another.
 */
export function poolFor(s: PoolSettings): Pool {
  const key = JSON.stringify([s.host.toLowerCase(), s.port]);
  const settings = JSON.stringify([s.caCertificate, s.certificateFingerprint, s.verifyTls, s.connections, s.connectTimeoutMs]);
  const held = pools.get(key);
  if (held?.settings === settings) return held.pool;
  const pool = new Pool(`https://${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`, {
    connections: s.connections,
    connect: trustingConnector(s),
    maxResponseSize: MAX_BODY_BYTES,
  });
  held?.pool.close().catch(() => undefined);
  pools.set(key, { settings, pool });
  return pool;
}

/**
 * Node checks the chain and host name but does not refuse (rejectUnauthorized: false): `refusal`
 * reads its verdict, so a pinned fingerprint holds even for a self-signed certificate.
 */
function trustingConnector(s: PoolSettings): buildConnector.connector {
  const where = `${s.host}:${s.port}`;
  const connect = buildConnector({
    ca: s.caCertificate ?? undefined,
    rejectUnauthorized: false,
    // Every connection makes a full handshake, so every one shows (and is checked on) its certificate.
    maxCachedSessions: 0,
    timeout: s.connectTimeoutMs,
  });
  return (options, callback) =>
    connect(options, (err, socket) => {
      if (err) return callback(err, null);
      const refused = refusal(socket as TLSSocket, s, where);
      if (!refused) return callback(null, socket);
      socket.destroy();
      callback(refused, null);
    });
}
