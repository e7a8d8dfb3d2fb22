// An isolated system for one test file: its own database and its own NATS namespace, so test
// files run in parallel on one PostgreSQL and one NATS without seeing each other's work.
import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { dropDatabase } from '../../src/db/database.js';
import { busNames } from '../../src/bus/subjects.js';
import { TaskQueue } from '../../src/bus/task-queue.js';

export interface TestEnv {
  namespace: string;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

const PG = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const NATS = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export function testEnv(label: string, extra: NodeJS.ProcessEnv = {}): TestEnv {
  const id = `${label.replace(/[^a-z0-9]/gi, '').slice(0, 12)}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const namespace = `t_${id}`;
  const databaseUrl = `${PG}/delfin_${id}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NATS_URL: NATS,
    DELFIN_NAMESPACE: namespace,
    DELFIN_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    // Tests read the JSON lines (a developer's LOG_FORMAT=pretty must not change that).
    LOG_FORMAT: 'json',
    HOST: '127.0.0.1',
    PORT: '0',
    // The alerts role (in `delfin all`) takes traps on a free port, never on 162.
    DELFIN_TRAP_PORT: '0',
    ...extra,
  };
  return {
    namespace,
    databaseUrl,
    env,
    async cleanup() {
      const nc = await connect({ servers: NATS });
      await TaskQueue.destroy(nc, busNames(namespace));
      await nc.close();
      await dropDatabase(databaseUrl);
    },
  };
}
