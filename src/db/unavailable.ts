// Whether an error means PostgreSQL is away (restarting, refusing connections, the connection
// cut), as opposed to a mistake in a statement: the first is worth "try again", the second is a bug.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot
// connect now), and 53300 (too many connections: the server is full, for now; the soak met it).
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-4]|53300$)/;

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  // MikroORM wraps the driver's error (ConnectionException) and keeps it as the cause.
  if (e.name === 'ConnectionException' || (e.cause && e.cause !== e && isDatabaseUnavailable(e.cause))) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
  // node-postgres and MikroORM report a dropped connection in words only.
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection (is )?closed|terminating connection|not (currently )?accepting connections|does not allow connections|timeout exceeded when trying to connect/i.test(message);
}
