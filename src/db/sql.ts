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
  /**
   * Connections whose commits do not wait for the WAL flush: for a task's steps, which a
   * database crash may lose (whole; the redelivered task redoes them), never for its end state.
   */
  private readonly relaxedPool: pg.Pool;

  constructor(databaseUrl: string, max = 10) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 10_000 });
    this.relaxedPool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 10_000, options: '-c synchronous_commit=off' });
    // An idle client losing its connection (PostgreSQL restarting) must not crash the process.
    this.pool.on('error', () => undefined);
    this.relaxedPool.on('error', () => undefined);
  }

  /** The relaxed pool (see above) as a Queryable. */
  get relaxed(): Queryable {
    return this.relaxedPool;
  }

  /** The pool as a Queryable, for functions that also run inside transactions. */
  get q(): Queryable {
    return this.pool;
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(text, params)).rows;
  }

  /** Runs `fn` on one client of the pool (for COPY), outside any transaction. */
  async withClient<T>(fn: (client: TxClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  /**
   * Runs `fn` in one transaction: committed if it resolves, rolled back if it throws.
   * `durable: false` runs it on the relaxed pool.
   */
  async tx<T>(fn: (q: TxClient) => Promise<T>, opts: { durable?: boolean } = {}): Promise<T> {
    const client = await (opts.durable === false ? this.relaxedPool : this.pool).connect();
    try {
      await client.query('begin');
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
    await Promise.all([this.pool.end(), this.relaxedPool.end()]);
  }
}
