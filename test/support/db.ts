// Direct reads of the database, for assertions on what the API does not show (task runs, rows left).
import pg from 'pg';

export async function withDb<T>(databaseUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 15_000 });
  // A connection cut by the server (a restart) rejects the query in flight; without a listener
  // the client's 'error' event would also crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
