// Plain SQL through the process's one connection pool: every read and write of the stores.
// (MikroORM opens only for migrations at start-up, then closes.) node-postgres rather than
// knex, whose raw bindings expand arrays into lists: the stores pass whole pages as arrays.
import pg from 'pg';
import { preparesItsStatements } from './prepared-statements.js';
import { CommitBatch } from './commit-batch.js';

/** A client inside a transaction (it can also COPY). */
export type TxClient = pg.PoolClient;

/** A pool or a client inside a transaction: what statements run on. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, any>[]; rowCount: number | null }>;
}

/** Connections of the pool when the configuration gives none (database.poolSize). */
export const DEFAULT_POOL_SIZE = 20;

/** A string as an SQL literal, for the few statements sent without parameters (`tx`'s opening). */
export const sqlLiteral = (value: string): string => pg.escapeLiteral(value);

export class Sql {
  readonly pool: pg.Pool;

  constructor(databaseUrl: string, max = DEFAULT_POOL_SIZE) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 10_000 });
    // An idle client losing its connection (PostgreSQL restarting) must not crash the process.
    this.pool.on('error', () => undefined);
    // Each statement with parameters is parsed once per connection (prepared-statements.ts).
    this.pool.on('connect', (client) => preparesItsStatements(client));
  }

  /**
   * Statements whose commit does not wait for the WAL flush: a task's progress, which a
   * database crash may lose (the redelivered task reports it again), never its end state. Each
   * is one round trip: the statement (one that returns rows, e.g. an update ... returning) runs
   * in its own implicit transaction, and set_config(..., true) turns synchronous_commit off for
   * that transaction only, when it returns a row (a statement that changed nothing has nothing
   * to flush). Three round trips (begin, the statement, commit) cost a worker a fifth of its
   * statements.
   */
  readonly relaxed: Queryable = {
    query: (text, params) =>
      this.pool.query(
        `with relaxed_statement as (${text}) select *, set_config('synchronous_commit', 'off', true) as relaxed_commit from relaxed_statement`,
        params,
      ),
  };

  /** The pool as a Queryable, for functions that also run inside transactions. */
  get q(): Queryable {
    return this.pool;
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(text, params)).rows;
  }

  /** Runs `fn` on one client of the pool (for COPY), outside any transaction. */
  async withClient<T>(fn: (client: TxClient) => Promise<T>): Promise<T> {
    return this.checkedOut(fn);
  }

  /**
   * Runs `fn` in one transaction: committed if it resolves, rolled back if it throws.
   * `durable: false`: its commit does not wait for the WAL flush (a task's steps; see `relaxed`),
   * set in the same round trip as the begin. `opening`: a first statement sent in that round
   * trip too (simple protocol: no parameters, its literals escaped with `sqlLiteral`); its rows
   * are given to `fn`. A small sync is mostly round trips, so a task's step saves one this way.
   * `fn`'s third argument takes writes whose answer it does not need: they are sent with the
   * commit, in its round trip.
   */
  async tx<T>(
    fn: (q: TxClient, opened: Record<string, any>[], atCommit: Queryable) => Promise<T>,
    opts: { durable?: boolean; opening?: string } = {},
  ): Promise<T> {
    return this.checkedOut(async (client) => {
      const begin = ['begin', ...(opts.durable === false ? ['set local synchronous_commit = off'] : []), ...(opts.opening ? [opts.opening] : [])];
      const results = await client.query(begin.join('; '));
      const opened = opts.opening ? ((results as unknown as pg.QueryResult[]).at(-1)?.rows ?? []) : [];
      try {
        // Writes whose answer `fn` does not need go with the commit (commit-batch.ts).
        const batch = new CommitBatch();
        const result = await fn(client, opened, batch.q);
        await client.query(batch.withCommit());
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      }
    });
  }

  /**
   * A client of the pool for `fn`. The pool listens for errors of idle clients only: a
   * connection cut between two statements of a checked-out one (PostgreSQL restarting) would
   * be an unhandled 'error' event and end the process. Listened to here, the error fails the
   * next statement instead, and the broken client is destroyed, not returned to the pool.
   */
  private async checkedOut<T>(fn: (client: TxClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let lost: Error | undefined;
    const onError = (err: Error) => (lost = err);
    client.on('error', onError);
    try {
      return await fn(client);
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
