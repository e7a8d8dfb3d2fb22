// Start-up of the database: create it when missing, open MikroORM, apply migrations.
import { MikroORM, type Options, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { redactUrl } from '../lib/redact-url.js';
import { ConfigError } from '../config.js';
import { cannotConnect, databaseConnectError } from './connect-error.js';

export type Orm = MikroORM;

export function ormOptions(databaseUrl: string, poolMax = 10, log?: (message: string) => void): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities: ENTITIES,
    discovery: { warnWhenNoEntities: true },
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: poolMax },
    // Entities are read and written through explicit forks; never share the global context.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false,
    // MikroORM's own messages (the migrator's) go to the process logger, not straight to stdout.
    logger: log ?? (() => undefined),
  };
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new ConfigError(`environment variable DATABASE_URL: ${redactUrl(url)} names no database`);
  return name;
}

/** Creates the database named by the URL when it does not exist yet (connects to `postgres`). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw cannotConnect(err, databaseUrl);
  }
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/** Drops a database (tests clean up after themselves with it). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`);
  } finally {
    await client.end();
  }
}

/**
 * Creates the database if needed and applies pending migrations, with MikroORM, whose
 * connections close before this returns: at run time every statement goes through the
 * process's one pool (sql.ts).
 */
export async function migrateDatabase(databaseUrl: string, opts: { log?: (message: string) => void } = {}): Promise<void> {
  const orm = await openDatabase(databaseUrl, { log: opts.log });
  await orm.close(true);
}

/** Opens the ORM on the database, migrated unless `migrate: false` (tests that set one up). */
export async function openDatabase(
  databaseUrl: string,
  opts: { migrate?: boolean; poolMax?: number; log?: (message: string) => void } = {},
): Promise<Orm> {
  await ensureDatabase(databaseUrl);
  // The server may refuse the next connections (too many clients): one line, like the first's.
  try {
    const orm = await MikroORM.init(ormOptions(databaseUrl, opts.poolMax, opts.log));
    if (opts.migrate !== false) await migrateOnce(orm, databaseUrl).catch(async (err) => {
      await orm.close(true).catch(() => undefined);
      throw err;
    });
    return orm;
  } catch (err) {
    throw databaseConnectError(err, databaseUrl) ?? err;
  }
}

const MIGRATION_LOCK = 0x64656c66; // "delf": one process migrates while the others wait

/** Applies pending migrations; several processes starting together take turns. */
async function migrateOnce(orm: Orm, databaseUrl: string): Promise<void> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await orm.getMigrator().up();
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}
