// Plain SQL beside the ORM, for what the ORM does poorly: multi-row writes with array
// parameters (unnest), atomic versioned task transitions and leases. MikroORM's raw execute
// goes through knex, which expands array bindings into lists, so these use node-postgres.
import pg from 'pg';

/** A client inside a transaction (it can also COPY). */
export type TxClient = pg.PoolClient;

/** A pool or a client inside a transaction: what statements run on. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, any>[]; rowCount: number | null }>;
}

export class Sql {
  readonly pool: pg.Pool;

  constructor(databaseUrl: string, max = 10) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 10_000 });
    // An idle client losing its connection (PostgreSQL restarting) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /** The pool as a Queryable, for functions that also run inside transactions. */
  get q(): Queryable {
    return this.pool;
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(text, params)).rows;
  }

  /**
   * Runs `fn` in one transaction: committed if it resolves, rolled back if it throws.
   * `durable: false` commits without waiting for the WAL flush: for steps a crash may lose
   * (they are redone, whole, by the redelivered task), never for a task's end state.
   */
  async tx<T>(fn: (q: TxClient) => Promise<T>, opts: { durable?: boolean } = {}): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      if (opts.durable === false) await client.query('set local synchronous_commit = off');
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
