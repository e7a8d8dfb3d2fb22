// Where Agenda keeps its jobs: MongoDB (the default) or the PostgreSQL of DATABASE_URL
// (SCHEDULER_BACKEND). Names are prefixed by the namespace, so several systems (and parallel
// test runs) share one database. In development without MongoDB, the in-memory stand-in.
import type { AgendaBackend } from 'agenda';
import pg from 'pg';
import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { portAnswers } from '../lib/ports.js';
import { startStandIn, type StandIn } from './stand-in.js';

export interface JobStore {
  kind: 'mongodb' | 'postgres';
  /** The address the jobs are at (MongoDB URL, or DATABASE_URL). */
  url: string;
  namespace: string;
  /** The development stand-in this process started, stopped with it. */
  standIn?: StandIn;
}

const DEFAULT_MONGO = { host: '127.0.0.1', port: 27017 };

/**
 * The scheduler's job store (no other role opens one). The development stand-in starts only
 * where MONGODB_URL is not set, NODE_ENV is not production and nothing answers on MongoDB's
 * default address.
 */
export async function resolveJobStore(config: Config, logger: Logger): Promise<JobStore> {
  const base = { namespace: config.namespace };
  if (config.schedulerBackend === 'postgres') return { ...base, kind: 'postgres', url: config.databaseUrl };
  if (config.mongodbUrlSet || config.production) return { ...base, kind: 'mongodb', url: config.mongodbUrl };
  if (await portAnswers(DEFAULT_MONGO.host, DEFAULT_MONGO.port)) return { ...base, kind: 'mongodb', url: config.mongodbUrl };
  let standIn: StandIn;
  try {
    standIn = await startStandIn(new URL(config.mongodbUrl).pathname.replace(/^\//, '') || 'delfin');
  } catch (err) {
    throw new Error(
      `MongoDB does not answer at ${config.mongodbUrl} and its development stand-in could not start (${(err as Error).message}); start MongoDB or set MONGODB_URL, or SCHEDULER_BACKEND=postgres`,
    );
  }
  logger.warn(
    { url: standIn.url, pid: standIn.pid },
    'no MongoDB at 127.0.0.1:27017 and MONGODB_URL is not set: schedules are kept by an in-memory MongoDB stand-in and will not outlive this process (set MONGODB_URL, or SCHEDULER_BACKEND=postgres, to keep them)',
  );
  return { ...base, kind: 'mongodb', url: standIn.url, standIn };
}

/** Collection or table names: the namespace, then Agenda's. PostgreSQL names take no "-". */
export function jobTableName(store: Pick<JobStore, 'kind' | 'namespace'>): string {
  const prefix = store.kind === 'postgres' ? store.namespace.replace(/-/g, '_').toLowerCase() : store.namespace;
  return `${prefix}_agenda_jobs`;
}

/** A backend, and what closes the connections it was given. */
export interface OpenedBackend {
  backend: AgendaBackend;
  close(): Promise<void>;
}

export function createBackend(store: JobStore): OpenedBackend {
  const table = jobTableName(store);
  if (store.kind === 'postgres') {
    // Our own pool: an idle connection PostgreSQL drops must not crash the process.
    const pool = new pg.Pool({ connectionString: store.url, max: 4, idleTimeoutMillis: 10_000 });
    pool.on('error', () => undefined);
    const backend = new PostgresBackend({ pool, tableName: table, channelName: table, logTableName: `${table}_log` });
    return { backend, close: () => pool.end() };
  }
  const backend = new MongoBackend({
    address: store.url,
    collection: table,
    logCollection: `${table}_log`,
    // A MongoDB that does not answer fails an operation in seconds, not the driver's 30.
    options: { serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000 },
  });
  return { backend, close: () => backend.disconnect() };
}
