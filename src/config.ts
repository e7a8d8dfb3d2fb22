// One typed configuration: the environment (12-factor) plus an optional policy file
// (DELFIN_CONFIG, YAML or JSON). Validated once at start; a bad value ends start-up with a
// sentence naming it.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { cronProblem } from './scheduler/cron.js';
import { DEFAULT_METRICS_POLICY, metricsPolicySchema } from './metrics-policy.js';

const NAMESPACE = /^[A-Za-z0-9_-]{1,32}$/;

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The longest periodic sync interval accepted: a year. */
export const MAX_INTERVAL_SECONDS = 366 * 86400;

const DEFAULT_MONGODB_URL = 'mongodb://127.0.0.1:27017/delfin';

const envSchema = z.object({
  PORT: intFrom(0, 65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/delfin'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  DELFIN_NAMESPACE: z
    .string()
    .regex(NAMESPACE, 'use 1 to 32 letters, digits, "_" or "-" (it prefixes NATS streams and subjects)')
    .default('delfin'),
  DELFIN_SECRET_KEY: z.string().optional(),
  DELFIN_SECRET_KEY_FILE: z.string().default('.delfin/secret.key'),
  DELFIN_CONFIG: z.string().optional(),
  DELFIN_WORKER_CONCURRENCY: intFrom(1, 256).optional(),
  /** Copies JetStream keeps of the task stream: 1 on one server, 3 on a NATS cluster. */
  DELFIN_STREAM_REPLICAS: intFrom(1, 5).default(1),
  MONGODB_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'use a MongoDB connection string (mongodb://host:port/database)')
    .optional(),
  SCHEDULER_BACKEND: z.enum(['mongodb', 'postgres']).default('mongodb'),
  DELFIN_MIN_INTERVAL_SECONDS: intFrom(1, 86400).optional(),
  /** `production` forbids development conveniences (the in-memory MongoDB stand-in). */
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The GraphiQL page at GET /graphql (a browser asking for HTML); `off` serves no page there. */
  DELFIN_PLAYGROUND: z
    .enum(['on', 'off', 'true', 'false', '1', '0'], { error: 'use on or off' })
    .default('on')
    .transform((v) => v === 'on' || v === 'true' || v === '1'),
});

/** Every environment variable the app reads (the keys of the environment schema). */
export const ENV_VARS = Object.freeze(Object.keys(envSchema.shape)) as readonly (keyof typeof envSchema.shape)[];

/** The policy file: the seed's "configuration file / Policy setup". Every key is optional. */
export const policySchema = z
  .object({
    worker: z
      .object({
        /** Tasks one worker process runs at once. */
        concurrency: intFrom(1, 256).default(4),
        /** Deliveries of one task before it ends FAILED. */
        maxAttempts: intFrom(1, 100).default(5),
        /** JetStream ack wait; a running task sends in-progress heartbeats at a third of it. */
        ackWaitSeconds: intFrom(5, 3600).default(30),
        /** How long a stopping worker waits for its running tasks before handing them back. */
        shutdownGraceSeconds: intFrom(0, 3600).default(20),
      })
      .strict()
      .default({ concurrency: 4, maxAttempts: 5, ackWaitSeconds: 30, shutdownGraceSeconds: 20 }),
    drivers: z
      .object({
        /** Every driver call (and each page of a listing) is cut off after this long. */
        callTimeoutSeconds: intFrom(1, 3600).default(120),
      })
      .strict()
      .default({ callTimeoutSeconds: 120 }),
    sync: z
      .object({
        /** Lease on a storage while a sync runs; renewed while it runs, lost when its holder dies. */
        leaseSeconds: intFrom(5, 3600).default(30),
        /** Rows written per statement when the device pages are larger. */
        writeBatchSize: intFrom(100, 50000).default(5000),
      })
      .strict()
      .default({ leaseSeconds: 30, writeBatchSize: 5000 }),
    schedules: z
      .object({
        /** The shortest periodic sync allowed (setSyncSchedule); DELFIN_MIN_INTERVAL_SECONDS overrides it. */
        minIntervalSeconds: intFrom(1, 86400).default(60),
        /** The schedule given to newly registered storages: `{ intervalSeconds }` or `{ cron }`. */
        defaultSync: z
          .object({ intervalSeconds: intFrom(1, MAX_INTERVAL_SECONDS).optional(), cron: z.string().min(1).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .default({ minIntervalSeconds: 60 }),
    scheduler: z
      .object({
        /** How often the scheduler looks for due jobs (Agenda's processEvery), in milliseconds. */
        processEveryMs: intFrom(50, 60000).default(1000),
        /** How long a scheduler may hold a due job before another may take it (Agenda's lock lifetime). */
        lockLifetimeSeconds: intFrom(1, 3600).default(60),
      })
      .strict()
      .default({ processEveryMs: 1000, lockLifetimeSeconds: 60 }),
    metrics: metricsPolicySchema.default(DEFAULT_METRICS_POLICY),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
  /** Replicas of the JetStream task stream (DELFIN_STREAM_REPLICAS). */
  streamReplicas: number;
  secretKey?: string;
  secretKeyFile: string;
  policyFile?: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  policy: Policy;
  /** Where Agenda keeps its jobs: MongoDB (the default) or the PostgreSQL of DATABASE_URL. */
  schedulerBackend: 'mongodb' | 'postgres';
  mongodbUrl: string;
  /** MONGODB_URL was given: never replace it by the development stand-in. */
  mongodbUrlSet: boolean;
  /** NODE_ENV=production. */
  production: boolean;
  /** Serve the GraphiQL playground at GET /graphql (DELFIN_PLAYGROUND). */
  playground: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .map((i) => `${where}${i.path.length ? ` ${i.path.join('.')}` : ''}: ${i.message}`)
    .join('; ');
}

export function readPolicyFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`DELFIN_CONFIG: cannot read the policy file ${path} (${(err as Error).message})`);
  }
  try {
    // YAML is a superset of JSON, so one parser reads both.
    return parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(`DELFIN_CONFIG: ${path} is neither valid YAML nor JSON (${(err as Error).message})`);
  }
}

/** An empty variable (`PORT=`, or compose's `${X:-}`) counts as unset, never as 0 or "". */
function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsedEnv = envSchema.safeParse(withoutEmpty(env));
  if (!parsedEnv.success) throw new ConfigError(describeIssues('environment variable', parsedEnv.error));
  const e = parsedEnv.data;
  const rawPolicy = e.DELFIN_CONFIG ? readPolicyFile(e.DELFIN_CONFIG) : {};
  const parsedPolicy = policySchema.safeParse(rawPolicy);
  if (!parsedPolicy.success) throw new ConfigError(describeIssues(`policy file ${e.DELFIN_CONFIG}`, parsedPolicy.error));
  const policy = parsedPolicy.data;
  if (e.DELFIN_WORKER_CONCURRENCY) policy.worker.concurrency = e.DELFIN_WORKER_CONCURRENCY;
  if (e.DELFIN_MIN_INTERVAL_SECONDS) {
    policy.schedules.minIntervalSeconds = e.DELFIN_MIN_INTERVAL_SECONDS;
    policy.metrics.minIntervalSeconds = e.DELFIN_MIN_INTERVAL_SECONDS;
  }
  checkDefaultSync(policy, e.DELFIN_CONFIG);
  checkMetricsDefaults(policy, e.DELFIN_CONFIG);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    namespace: e.DELFIN_NAMESPACE,
    streamReplicas: e.DELFIN_STREAM_REPLICAS,
    secretKey: e.DELFIN_SECRET_KEY || undefined,
    secretKeyFile: e.DELFIN_SECRET_KEY_FILE,
    policyFile: e.DELFIN_CONFIG,
    logLevel: e.LOG_LEVEL,
    policy,
    schedulerBackend: e.SCHEDULER_BACKEND,
    mongodbUrl: e.MONGODB_URL ?? DEFAULT_MONGODB_URL,
    mongodbUrlSet: e.MONGODB_URL !== undefined,
    production: e.NODE_ENV === 'production',
    playground: e.DELFIN_PLAYGROUND,
  };
}

/** The default schedule obeys the same rules as setSyncSchedule: one of the two, at least the minimum. */
function checkDefaultSync(policy: Policy, file?: string): void {
  const d = policy.schedules.defaultSync;
  if (!d) return;
  const where = `policy file ${file} schedules.defaultSync`;
  if ((d.intervalSeconds === undefined) === (d.cron === undefined)) {
    throw new ConfigError(`${where}: give exactly one of intervalSeconds or cron`);
  }
  const min = policy.schedules.minIntervalSeconds;
  if (d.intervalSeconds !== undefined && d.intervalSeconds < min) {
    throw new ConfigError(`${where}.intervalSeconds: ${d.intervalSeconds} is under the minimum interval of ${min} seconds`);
  }
  const problem = d.cron === undefined ? undefined : cronProblem(d.cron, min);
  if (problem) throw new ConfigError(`${where}.cron: ${problem}`);
}

/** The default metrics-config obeys the interval bounds that updateMetricsConfig enforces. */
function checkMetricsDefaults(policy: Policy, file?: string): void {
  const { minIntervalSeconds: min, maxIntervalSeconds: max, defaults, exporters } = policy.metrics;
  if (!exporters.nats.enabled && (exporters.prometheus.enabled || exporters.graphql.enabled)) {
    throw new ConfigError(
      `policy file ${file} metrics.exporters: the prometheus and graphql exporters read the batches workers publish on NATS; enable nats or disable them too`,
    );
  }
  if (min > max) throw new ConfigError(`policy file ${file} metrics: minIntervalSeconds ${min} is above maxIntervalSeconds ${max}`);
  for (const [name, p] of Object.entries(defaults)) {
    if (p.interval < min || p.interval > max) {
      throw new ConfigError(`policy file ${file} metrics.defaults.${name}.interval: ${p.interval} is outside ${min}..${max} seconds`);
    }
  }
}
