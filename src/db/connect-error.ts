// PostgreSQL not to be had at start: refused by the server (too many clients, starting up or
// shutting down, a wrong password, no such database) or not reachable (nothing listens, the
// connection dropped). Start-up says which in one line naming the server and what to do: no
// stack, no password. The errors are those isDatabaseUnavailable knows, and at start also a
// refused login; a socket error is PostgreSQL's only at DATABASE_URL's port.
import { ServiceUnreachableError } from '../lib/service-unreachable.js';
import { redactUrl } from '../lib/redact-url.js';
import { isDatabaseUnavailable } from './unavailable.js';

const HOW_TO_START =
  'start PostgreSQL (e.g. `pg_ctlcluster 15 main start`, or `docker compose up -d postgres`) or set DATABASE_URL';
const HOW_TO_GET_IN =
  'check DATABASE_URL (user, password, database) and that the server accepts connections (max_connections, pg_hba.conf)';

/** At start, a login the server turned down is a setting to fix: authorization (28), no such database. */
const LOGIN_REFUSED = /^(28...|3D000)$/;
const SQLSTATE = /^[0-9A-Z]{5}$/;

interface Failure {
  message?: unknown;
  code?: unknown;
  port?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The one line for a failure to connect to the PostgreSQL of `databaseUrl`; undefined for any other error. */
export function databaseConnectError(err: unknown, databaseUrl: string): ServiceUnreachableError | undefined {
  if (err instanceof ServiceUnreachableError) return err;
  // MikroORM and knex wrap the driver's error: the driver's own is the innermost.
  const chain = causes(err);
  const refusal = chain.findLast((e) => SQLSTATE.test(String(e.code)));
  if (refusal && (LOGIN_REFUSED.test(String(refusal.code)) || isDatabaseUnavailable(refusal))) {
    return new ServiceUnreachableError('PostgreSQL', redactUrl(databaseUrl), HOW_TO_GET_IN, new Error(String(refusal.message)), 'refused');
  }
  if (refusal || !isDatabaseUnavailable(err)) return undefined;
  // A socket error (AggregateError: one per address tried) elsewhere than at the database's port is not the database's.
  const sockets = chain.flatMap((e) => [e, ...(Array.isArray(e.errors) ? (e.errors as Failure[]) : [])]).filter((e) => e.port !== undefined);
  if (sockets.length > 0 && !sockets.some((e) => Number(e.port) === portOf(databaseUrl))) return undefined;
  return unreachable(databaseUrl, chain.at(-1)!);
}

/** A connection that could not be opened, whatever the cause: refused when PostgreSQL said so, else not reachable. */
export function cannotConnect(err: unknown, databaseUrl: string): ServiceUnreachableError {
  return databaseConnectError(err, databaseUrl) ?? unreachable(databaseUrl, (err ?? {}) as Failure);
}

function unreachable(databaseUrl: string, e: Failure): ServiceUnreachableError {
  const reason = typeof e.message === 'string' && e.message ? e.message : String(e.code ?? 'no answer');
  return new ServiceUnreachableError('PostgreSQL', redactUrl(databaseUrl), HOW_TO_START, new Error(reason));
}

function causes(err: unknown): Failure[] {
  const chain: Failure[] = [];
  for (let e = err; e && typeof e === 'object' && chain.length < 5 && !chain.includes(e as Failure); e = (e as Failure).cause) chain.push(e as Failure);
  return chain;
}

function portOf(databaseUrl: string): number {
  try {
    return Number(new URL(databaseUrl).port || 5432);
  } catch {
    return 5432;
  }
}
