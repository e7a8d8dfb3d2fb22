// One typed configuration: the environment (12-factor) plus an optional policy file
// (DELFIN_CONFIG, YAML or JSON). Validated once at start; a bad value ends start-up with a
// sentence naming it.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { cronProblem } from './lib/cron.js';
import { DEFAULT_METRICS_POLICY, metricsPolicySchema } from './metrics-policy.js';
import { ROLES } from './auth/roles.js';
import { normalizeOrigin } from './lib/origin.js';
import { quoteShort } from './lib/quote.js';
import { parseDriverList } from './lib/driver-list.js';
import { entryFromHash, parseEnvTokens, type TokenEntry } from './auth/tokens.js';

const NAMESPACE = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * A whole number from min to max, given as a number or as decimal digits (the environment's
 * text): never a boolean, a list, null, "0x10" or "1e3", which Number() would quietly turn into one.
 */
const intFrom = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v), z.number().int().min(min).max(max));

/** The longest periodic sync interval accepted: a year. */
export const MAX_INTERVAL_SECONDS = 366 * 86400;

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'use true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const originText = z.string().refine((o) => normalizeOrigin(o) !== undefined, {
  message: 'use an origin: http:// or https://, a host and an optional port, nothing after (e.g. https://ops.example.com)',
});

const DEFAULT_MONGODB_URL = 'mongodb://127.0.0.1:27017/delfin';

const envSchema = z.object({
  PORT: intFrom(0, 65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^/\s]*\/[^/?#\s]+(\?\S*)?$/, 'use a PostgreSQL URL naming its database (postgres://user@host:5432/delfin)')
    .default('postgres://postgres@127.0.0.1:5432/delfin'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  DELFIN_NAMESPACE: z
    .string()
    .regex(NAMESPACE, 'use 1 to 32 letters, digits, "_" or "-" (it prefixes NATS streams and subjects)')
    .default('delfin'),
  DELFIN_SECRET_KEY: z.string().optional(),
  DELFIN_SECRET_KEY_FILE: z.string().default('.delfin/secret.key'),
  /** Read by `delfin secrets rotate` only: the key to re-encrypt stored passwords under. */
  DELFIN_NEW_SECRET_KEY: z.string().optional(),
  DELFIN_CONFIG: z.string().optional(),
  DELFIN_WORKER_CONCURRENCY: intFrom(1, 256).optional(),
  /** Connections of the process's one PostgreSQL pool (the policy's database.poolSize). */
  DELFIN_DATABASE_POOL_SIZE: intFrom(2, 1000).optional(),
  /** Copies JetStream keeps of the task stream: 1 on one server, 3 on a NATS cluster. */
  DELFIN_STREAM_REPLICAS: intFrom(1, 5).default(1),
  MONGODB_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'use a MongoDB connection string (mongodb://host:port/database)')
    .optional(),
  SCHEDULER_BACKEND: z.enum(['mongodb', 'postgres']).default('mongodb'),
  DELFIN_MIN_INTERVAL_SECONDS: intFrom(1, 86400).optional(),
  /** Polls that try a failed performance window before it is lost (policy metrics.windowRetry.tries). */
  DELFIN_WINDOW_RETRY_TRIES: intFrom(1, 20).optional(),
  /** Time over which those polls are spread (policy metrics.windowRetry.horizonSeconds). */
  DELFIN_WINDOW_RETRY_HORIZON_SECONDS: intFrom(1, 7 * 86_400).optional(),
  /** `production` forbids development conveniences (the in-memory MongoDB stand-in). */
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty`: human-readable lines (development); `json`: one JSON object a line. Default: pretty on a terminal. */
  LOG_FORMAT: z.enum(['pretty', 'json'], { error: 'use pretty or json' }).optional(),
  /** The GraphiQL page at GET /graphql (a browser asking for HTML); `off` serves no page there. */
  DELFIN_PLAYGROUND: z
    .enum(['on', 'off', 'true', 'false', '1', '0'], { error: 'use on or off' })
    .default('on')
    .transform((v) => v === 'on' || v === 'true' || v === '1'),
  /** Bearer tokens, "role:token" pairs separated by commas (README, Security). */
  DELFIN_TOKENS: z.string().optional(),
  /** GraphQL introspection: on by default, off by default when NODE_ENV=production. */
  DELFIN_INTROSPECTION: booleanText.optional(),
  /** Web origins (besides the api's own) whose pages may open a WebSocket to the api, comma-separated. */
  DELFIN_ALLOWED_ORIGINS: z.string().optional(),
  /** Driver packages (npm names, or ./paths) loaded at start by every role, comma-separated. */
  DELFIN_DRIVERS: z.string().optional(),
  /** The alerts role's SNMP trap port (UDP) and address; the address defaults to HOST. */
  DELFIN_TRAP_PORT: intFrom(0, 65535).default(162),
  DELFIN_TRAP_HOST: z.string().min(1).optional(),
  DELFIN_TRAP_RECEIVE_BUFFER_BYTES: intFrom(65536, 2 ** 31 - 1).default(8 * 1024 * 1024),
  DELFIN_ALERTS_METRICS_PORT: intFrom(0, 65535).optional(),
  /** Prometheus Alertmanager (its base URL, e.g. http://alertmanager:9093): alerts are posted to its v2 API. */
  DELFIN_ALERTMANAGER_URL: z.string().url().optional(),
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
        /**
         * A task committed QUEUED but still not on the stream after this long (its maker died
         * between the commit and the publish) is published by the workers' relay.
         */
        strandedAfterSeconds: intFrom(2, 3600).default(60),
      })
      .strict()
      .default({ concurrency: 4, maxAttempts: 5, ackWaitSeconds: 30, shutdownGraceSeconds: 20, strandedAfterSeconds: 60 }),
    bus: z
      .object({
        /**
         * How long a task publish the bus refuses is retried before the request answers
         * UNAVAILABLE: covers a NATS cluster electing a stream leader or a client moving node.
         */
        publishRetrySeconds: intFrom(0, 60).default(10),
        /**
         * How long a starting process waits for JetStream to answer (a cluster electing its
         * leader, a node recovering its store) before it gives up; it is not ready meanwhile.
         */
        startWaitSeconds: intFrom(0, 86_400).default(300),
      })
      .strict()
      .default({ publishRetrySeconds: 10, startWaitSeconds: 300 }),
    database: z
      .object({
        /** Connections of the process's one PostgreSQL pool; DELFIN_DATABASE_POOL_SIZE overrides it. */
        poolSize: intFrom(2, 1000).default(20),
      })
      .strict()
      .default({ poolSize: 20 }),
    drivers: z
      .object({
        /** Every driver call (and each page of a listing) is cut off after this long. */
        callTimeoutSeconds: intFrom(1, 3600).default(120),
        /** Driver packages loaded at start, after those of DELFIN_DRIVERS. */
        packages: z.array(z.string().trim().min(1)).default([]),
      })
      .strict()
      .default({ callTimeoutSeconds: 120, packages: [] }),
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
    alerts: z
      .object({
        /** Cleared alerts are deleted this long after their clear; open ones stay until cleared. */
        clearedRetentionDays: intFrom(1, 3650).default(30),
        /** Alerts kept per storage at most (a trap storm cannot fill the disk): the oldest cleared go first, then the oldest open. */
        maxPerStorage: intFrom(100, 10_000_000).default(100_000),
      })
      .strict()
      .default({ clearedRetentionDays: 30, maxPerStorage: 100_000 }),
    auth: z
      .object({
        /** Bearer tokens, kept as hashes: `delfin token create` prints a token and its entry. */
        tokens: z
          .array(
            z
              .object({
                name: z.string().min(1).max(100),
                role: z.enum(ROLES),
                hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'use sha256:<64 lowercase hex digits> (`delfin token hash`)'),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .default({ tokens: [] }),
    api: z
      .object({
        /** Deepest field nesting an operation may have. */
        maxDepth: intFrom(1, 100).default(12),
        /**
         * Cost of an operation (graphql-armor: 2 per object field, 1 per scalar, each level 1.5 times
         * more, a literal `first: n` multiplies its field by n). A page of 1 000 volumes costs ~50 000.
         */
        maxCost: intFrom(10, 10_000_000).default(100_000),
        /** Aliased fields in one operation. */
        maxAliases: intFrom(0, 1000).default(15),
        /** Directives in one operation. */
        maxDirectives: intFrom(0, 1000).default(50),
        /** Tokens (names, punctuation, values) in one document. */
        maxTokens: intFrom(100, 1_000_000).default(5000),
        /** Bytes of one HTTP request body or one WebSocket message. */
        maxBodyBytes: intFrom(1024, 64 * 1024 * 1024).default(1024 * 1024),
        /**
         * Levels one JSON input value (extraAttributes...) may nest, and bytes it may take as
         * JSON text: a value beyond either is BAD_USER_INPUT naming its field.
         */
        maxJsonDepth: intFrom(1, 256).default(32),
        maxJsonBytes: intFrom(16, 64 * 1024 * 1024).default(64 * 1024),
        /** Subscriptions open at once on one WebSocket. */
        maxSubscriptionsPerConnection: intFrom(1, 10_000).default(50),
        /**
         * Seconds between rechecks of the tasks subscribers follow and have not seen end: a task
         * row that moved on this long ago without its event reaching them (core NATS keeps
         * nothing) is sent to them from PostgreSQL.
         */
        eventRecheckSeconds: intFrom(1, 3600).default(5),
        /** Web origins (besides the api's own) whose pages may open a WebSocket to the api. */
        allowedOrigins: z.array(originText).default([]),
      })
      .strict()
      .default({ maxDepth: 12, maxCost: 100_000, maxAliases: 15, maxDirectives: 50, maxTokens: 5000, maxBodyBytes: 1024 * 1024, maxJsonDepth: 32, maxJsonBytes: 64 * 1024, maxSubscriptionsPerConnection: 50, eventRecheckSeconds: 5, allowedOrigins: [] }),
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
  /** DELFIN_NEW_SECRET_KEY, for `delfin secrets rotate`. */
  newSecretKey?: string;
  policyFile?: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** LOG_FORMAT, or pretty when standard output is a terminal and json otherwise. */
  logFormat: LogFormat;
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
  /** DELFIN_TOKENS and the policy file's auth.tokens; none: loopback clients only. */
  tokens: TokenEntry[];
  /** GraphQL introspection (DELFIN_INTROSPECTION). */
  introspection: boolean;
  /** Origins whose pages may open a WebSocket, besides the api's own (normalized). */
  allowedOrigins: string[];
  /** Driver packages to load: DELFIN_DRIVERS, then the policy file's drivers.packages, each once. */
  driverPackages: string[];
  /**
   * Where the alerts role takes SNMP traps (DELFIN_TRAP_HOST, default HOST; DELFIN_TRAP_PORT) and
   * the socket receive buffer it asks for (DELFIN_TRAP_RECEIVE_BUFFER_BYTES, default 8 MiB).
   */
  trap: { host: string; port: number; receiveBufferBytes: number };
  /** DELFIN_ALERTS_METRICS_PORT: where an alerts role without an api serves /metrics; absent, nowhere. */
  alertsMetricsPort?: number;
  /** DELFIN_ALERTMANAGER_URL: where the alerts role posts alerts; absent, none are posted. */
  alertmanagerUrl?: string;
}

export type LogFormat = 'pretty' | 'json';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .map((i) => `${where}${i.path.length ? ` ${plain(i.path.join('.'))}` : ''}: ${plain(i.message)}`)
    .join('; ');
}

/** Text of a file or a variable as it may appear in a one-line message: control characters escaped, long text cut. */
function plain(text: string, max = 200): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

export function readPolicyFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`DELFIN_CONFIG: cannot read the policy file ${path} (${(err as Error).message})`);
  }
  // YAML is a superset of JSON, so one parser reads both. A warning (an unknown tag...) refuses
  // the file too: a policy must mean exactly what it says.
  const doc = parseDocument(text);
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    // The first line names the problem and where it is; the lines after it draw the text.
    const line = problem.message.split('\n')[0]!.trim().replace(/:$/, '');
    throw new ConfigError(`DELFIN_CONFIG: ${path} is neither valid YAML nor JSON (${line})`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new ConfigError(`DELFIN_CONFIG: ${path} cannot be read as YAML (${(err as Error).message.split('\n')[0]})`);
  }
}

/** An empty variable (`PORT=`, or compose's `${X:-}`) counts as unset, never as 0 or "". */
function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

/** `stdoutIsTty` chooses the log format when LOG_FORMAT is not set (a parameter so tests can say). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, stdoutIsTty = process.stdout.isTTY === true): Config {
  const parsedEnv = envSchema.safeParse(withoutEmpty(env));
  if (!parsedEnv.success) throw new ConfigError(describeIssues('environment variable', parsedEnv.error));
  const e = parsedEnv.data;
  const rawPolicy = e.DELFIN_CONFIG ? readPolicyFile(e.DELFIN_CONFIG) : {};
  const parsedPolicy = policySchema.safeParse(rawPolicy);
  if (!parsedPolicy.success) throw new ConfigError(describeIssues(`policy file ${e.DELFIN_CONFIG}`, parsedPolicy.error));
  const policy = parsedPolicy.data;
  if (e.DELFIN_WORKER_CONCURRENCY) policy.worker.concurrency = e.DELFIN_WORKER_CONCURRENCY;
  if (e.DELFIN_DATABASE_POOL_SIZE) policy.database.poolSize = e.DELFIN_DATABASE_POOL_SIZE;
  if (e.DELFIN_MIN_INTERVAL_SECONDS) {
    policy.schedules.minIntervalSeconds = e.DELFIN_MIN_INTERVAL_SECONDS;
    policy.metrics.minIntervalSeconds = e.DELFIN_MIN_INTERVAL_SECONDS;
  }
  if (e.DELFIN_WINDOW_RETRY_TRIES) policy.metrics.windowRetry.tries = e.DELFIN_WINDOW_RETRY_TRIES;
  if (e.DELFIN_WINDOW_RETRY_HORIZON_SECONDS) policy.metrics.windowRetry.horizonSeconds = e.DELFIN_WINDOW_RETRY_HORIZON_SECONDS;
  // The minimum may come from the environment: a refusal it causes names it.
  const minFrom = e.DELFIN_MIN_INTERVAL_SECONDS ? ' (the minimum set by DELFIN_MIN_INTERVAL_SECONDS)' : '';
  checkDefaultSync(policy, policyName(e.DELFIN_CONFIG), minFrom);
  checkMetricsDefaults(policy, policyName(e.DELFIN_CONFIG), minFrom);
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    namespace: e.DELFIN_NAMESPACE,
    streamReplicas: e.DELFIN_STREAM_REPLICAS,
    secretKey: e.DELFIN_SECRET_KEY || undefined,
    secretKeyFile: e.DELFIN_SECRET_KEY_FILE,
    newSecretKey: e.DELFIN_NEW_SECRET_KEY || undefined,
    policyFile: e.DELFIN_CONFIG,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (stdoutIsTty ? 'pretty' : 'json'),
    policy,
    schedulerBackend: e.SCHEDULER_BACKEND,
    mongodbUrl: e.MONGODB_URL ?? DEFAULT_MONGODB_URL,
    mongodbUrlSet: e.MONGODB_URL !== undefined,
    production,
    playground: e.DELFIN_PLAYGROUND,
    tokens: loadTokens(e.DELFIN_TOKENS, policy, e.DELFIN_CONFIG),
    introspection: e.DELFIN_INTROSPECTION ?? !production,
    allowedOrigins: loadAllowedOrigins(e.DELFIN_ALLOWED_ORIGINS, policy),
    driverPackages: [...new Set([...parseDriverList(e.DELFIN_DRIVERS), ...policy.drivers.packages])],
    trap: { host: e.DELFIN_TRAP_HOST ?? e.HOST, port: e.DELFIN_TRAP_PORT, receiveBufferBytes: e.DELFIN_TRAP_RECEIVE_BUFFER_BYTES },
    alertmanagerUrl: e.DELFIN_ALERTMANAGER_URL,
    alertsMetricsPort: e.DELFIN_ALERTS_METRICS_PORT,
  };
}

/** DELFIN_ALLOWED_ORIGINS and the policy file's api.allowedOrigins, normalized as browsers send them. */
function loadAllowedOrigins(envText: string | undefined, policy: Policy): string[] {
  const fromEnv = (envText ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  const bad = fromEnv.find((o) => normalizeOrigin(o) === undefined);
  if (bad !== undefined) {
    throw new ConfigError(`environment variable DELFIN_ALLOWED_ORIGINS: ${quoteShort(bad)} is not an origin; use http:// or https://, a host and an optional port, separated by commas`);
  }
  return [...new Set([...fromEnv, ...policy.api.allowedOrigins].map((o) => normalizeOrigin(o)!))];
}

/** Tokens from the environment and from the policy file; errors never show a token. */
function loadTokens(envText: string | undefined, policy: Policy, file?: string): TokenEntry[] {
  let fromEnv: TokenEntry[] = [];
  try {
    fromEnv = envText ? parseEnvTokens(envText) : [];
  } catch (err) {
    throw new ConfigError(`environment variable DELFIN_TOKENS: ${(err as Error).message}`);
  }
  const fromFile = policy.auth.tokens.map((t) => entryFromHash(t.role, t.hash, t.name));
  const names = fromFile.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new ConfigError(`policy file ${file} auth.tokens: the name "${twice}" is used twice`);
  return [...fromEnv, ...fromFile];
}

/** The policy in messages: its file, or the defaults when there is none. */
function policyName(file?: string): string {
  return file ? `policy file ${file}` : 'default policy';
}

/** The default schedule obeys the same rules as setSyncSchedule: one of the two, at least the minimum. */
function checkDefaultSync(policy: Policy, source: string, minFrom: string): void {
  const d = policy.schedules.defaultSync;
  if (!d) return;
  const where = `${source} schedules.defaultSync`;
  if ((d.intervalSeconds === undefined) === (d.cron === undefined)) {
    throw new ConfigError(`${where}: give exactly one of intervalSeconds or cron`);
  }
  const min = policy.schedules.minIntervalSeconds;
  if (d.intervalSeconds !== undefined && d.intervalSeconds < min) {
    throw new ConfigError(`${where}.intervalSeconds: ${d.intervalSeconds} is under the minimum interval of ${min} seconds${minFrom}`);
  }
  const problem = d.cron === undefined ? undefined : cronProblem(d.cron, min);
  if (problem) throw new ConfigError(`${where}.cron: ${problem}${minFrom}`);
}

/** The default metrics-config obeys the interval bounds that updateMetricsConfig enforces. */
function checkMetricsDefaults(policy: Policy, source: string, minFrom: string): void {
  const { minIntervalSeconds: min, maxIntervalSeconds: max, defaults, exporters } = policy.metrics;
  if (!exporters.nats.enabled && (exporters.prometheus.enabled || exporters.graphql.enabled)) {
    throw new ConfigError(
      `${source} metrics.exporters: the prometheus and graphql exporters read the batches workers publish on NATS; enable nats or disable them too`,
    );
  }
  if (min > max) throw new ConfigError(`${source} metrics: minIntervalSeconds ${min} is above maxIntervalSeconds ${max}${minFrom}`);
  for (const [name, p] of Object.entries(defaults)) {
    if (p.interval < min || p.interval > max) {
      throw new ConfigError(`${source} metrics.defaults.${name}.interval: ${p.interval} is outside ${min}..${max} seconds${minFrom}`);
    }
  }
}
