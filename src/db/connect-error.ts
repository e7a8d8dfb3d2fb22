// PostgreSQL not to be had at start: refused by the server (too many clients, starting up or
// shutting down, a wrong password, no such database) or not reachable (nothing listens, the
// connection dropped). Start-up says which in one line naming the server and what to do: no
// stack, no password. Only errors that are PostgreSQL's are recognised: a SQLSTATE of a
// refused connection, node-postgres's own messages, or a socket error at DATABASE_URL's port.
import { ServiceUnreachableError } from '../lib/service-unreachable.js';
import { redactUrl } from '../lib/redact-url.js';

const HOW_TO_START =
  'start PostgreSQL (e.g. `pg_ctlcluster 15 main start`, or `docker compose up -d postgres`) or set DATABASE_URL';
const HOW_TO_GET_IN =
  'check DATABASE_URL (user, password, database) and that the server accepts connections (max_connections, pg_hba.conf)';

/** SQLSTATEs of a connection the server refused: connection exceptions, too many connections, cannot connect now, authorization, no such database. */
const REFUSED = /^(08...|53300|57P0[1-3]|28...|3D000)$/;
/** node-postgres's messages for a connection that dropped or never opened. */
const DROPPED = /^(Connection terminated|timeout exceeded when trying to connect)/;
const SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

interface Failure {
  message: string;
  code?: unknown;
  sqlState?: unknown;
  port?: unknown;
  cause?: unknown;
  errors?: unknown[];
}

/** The one line for a failure to connect to the PostgreSQL of `databaseUrl`; undefined for any other error. */
export function databaseConnectError(err: unknown, databaseUrl: string): ServiceUnreachableError | undefined {
  if (err instanceof ServiceUnreachableError) return err;
  const port = portOf(databaseUrl);
  // MikroORM and knex wrap the driver's error: look through causes (a few levels at most).
  for (let e = err as Failure | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as Failure | undefined, depth++) {
    const sqlState = String(e.sqlState ?? e.code ?? '');
    if (REFUSED.test(sqlState)) return refused(databaseUrl, e.message);
    if (typeof e.message === 'string' && DROPPED.test(e.message)) return unreachable(databaseUrl, e.message);
    // A socket error at the database's port (AggregateError: one per address tried).
    const socket = [e, ...(Array.isArray(e.errors) ? (e.errors as Failure[]) : [])].find(
      (s) => SOCKET.has(String(s?.code)) && (s.port === undefined || Number(s.port) === port),
    );
    if (socket) return unreachable(databaseUrl, socket.message || String(socket.code));
  }
  return undefined;
}

/** A connection that could not be opened, whatever the cause: refused when PostgreSQL said so, else not reachable. */
export function cannotConnect(err: unknown, databaseUrl: string): ServiceUnreachableError {
  return databaseConnectError(err, databaseUrl) ?? unreachable(databaseUrl, err instanceof Error ? err.message : String(err));
}

function refused(databaseUrl: string, reason: string): ServiceUnreachableError {
  return new ServiceUnreachableError('PostgreSQL', redactUrl(databaseUrl), HOW_TO_GET_IN, new Error(reason), 'refused');
}

function unreachable(databaseUrl: string, reason: string): ServiceUnreachableError {
  return new ServiceUnreachableError('PostgreSQL', redactUrl(databaseUrl), HOW_TO_START, new Error(reason));
}

function portOf(databaseUrl: string): number {
  try {
    return Number(new URL(databaseUrl).port || 5432);
  } catch {
    return 5432;
  }
}
