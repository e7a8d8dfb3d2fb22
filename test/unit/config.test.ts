import { DEFAULT_METRICS_POLICY } from '../../src/metrics-policy.js';
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ENV_VARS, loadConfig } from '../../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'delfin-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function file(ext: string, text: string): string {
  const path = join(dir, `policy-${++fileNo}.${ext}`);
  writeFileSync(path, text);
  return path;
}

/** Asserts loadConfig(env) throws a ConfigError whose message matches every pattern. */
function configError(env: NodeJS.ProcessEnv, ...patterns: RegExp[]): string {
  let message = '';
  assert.throws(
    () => loadConfig(env),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
      assert.equal(err.name, 'ConfigError');
      message = err.message;
      for (const p of patterns) assert.match(err.message, p);
      return true;
    },
  );
  return message;
}

const DEFAULT_POLICY = {
  worker: { concurrency: 4, maxAttempts: 5, ackWaitSeconds: 30, shutdownGraceSeconds: 20, strandedAfterSeconds: 60 },
  bus: { publishRetrySeconds: 10, startWaitSeconds: 300 },
  database: { poolSize: 20 },
  drivers: { callTimeoutSeconds: 120, packages: [] },
  sync: { leaseSeconds: 30, writeBatchSize: 5000 },
  schedules: { minIntervalSeconds: 60 },
  scheduler: { processEveryMs: 1000, lockLifetimeSeconds: 60 },
  metrics: DEFAULT_METRICS_POLICY,
  alerts: { clearedRetentionDays: 30, maxPerStorage: 100000 },
  auth: { tokens: [] },
  api: { maxDepth: 12, maxCost: 100000, maxAliases: 15, maxDirectives: 50, maxTokens: 5000, maxBodyBytes: 1048576, maxJsonDepth: 32, maxJsonBytes: 65536, maxSubscriptionsPerConnection: 50, eventRecheckSeconds: 5, allowedOrigins: [] },
};

describe('loadConfig: environment', () => {
  test('defaults with an empty environment', () => {
    const c = loadConfig({});
    assert.equal(c.port, 4000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.databaseUrl, 'postgres://postgres@127.0.0.1:5432/delfin');
    assert.equal(c.natsUrl, 'nats://127.0.0.1:4222');
    assert.equal(c.namespace, 'delfin');
    assert.equal(c.secretKey, undefined);
    assert.equal(c.secretKeyFile, '.delfin/secret.key');
    assert.equal(c.policyFile, undefined);
    assert.equal(c.logLevel, 'info');
    assert.deepEqual(c.policy, DEFAULT_POLICY);
    assert.equal(c.schedulerBackend, 'mongodb');
    assert.equal(c.mongodbUrl, 'mongodb://127.0.0.1:27017/delfin');
    assert.equal(c.mongodbUrlSet, false, 'the default address may be replaced by the development stand-in');
    assert.equal(c.production, false);
  });

  test('values from the environment are taken (PORT as a number)', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5433/other',
      NATS_URL: 'nats://a:4222,nats://b:4222',
      DELFIN_NAMESPACE: 'team_a-1',
      DELFIN_SECRET_KEY: 'k',
      DELFIN_SECRET_KEY_FILE: '/run/key',
      LOG_LEVEL: 'debug',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.databaseUrl, 'postgres://u:p@db:5433/other');
    assert.equal(c.natsUrl, 'nats://a:4222,nats://b:4222');
    assert.equal(c.namespace, 'team_a-1');
    assert.equal(c.secretKey, 'k');
    assert.equal(c.secretKeyFile, '/run/key');
    assert.equal(c.logLevel, 'debug');
  });

  test('PORT 0 (any free port) and 65535 are accepted', () => {
    assert.equal(loadConfig({ PORT: '0' }).port, 0);
    assert.equal(loadConfig({ PORT: '65535' }).port, 65535);
  });

  test('PORT=abc, 70000, -1 or 80.5 is a ConfigError naming PORT', () => {
    for (const PORT of ['abc', '70000', '65536', '-1', '80.5']) {
      configError({ PORT }, /PORT/);
    }
  });

  test('an empty variable counts as unset: PORT= is the default, not port 0', () => {
    const c = loadConfig({ PORT: '', HOST: '', DELFIN_NAMESPACE: '', DELFIN_CONFIG: '', LOG_LEVEL: ' ' });
    assert.equal(c.port, 4000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.namespace, 'delfin');
    assert.equal(c.policyFile, undefined);
    assert.equal(c.logLevel, 'info');
  });

  test('DELFIN_NAMESPACE with a dot is a ConfigError explaining the allowed form', () => {
    configError({ DELFIN_NAMESPACE: 'my.ns' }, /DELFIN_NAMESPACE/, /letters, digits/, /NATS/);
  });

  test('DELFIN_NAMESPACE: too long, or with a wildcard or a space is refused; 32 characters pass', () => {
    for (const ns of ['x'.repeat(33), 'a*', 'a>', 'a b']) configError({ DELFIN_NAMESPACE: ns }, /DELFIN_NAMESPACE/);
    assert.equal(loadConfig({ DELFIN_NAMESPACE: 'x'.repeat(32) }).namespace, 'x'.repeat(32));
  });

  test('an unknown LOG_LEVEL and a DATABASE_URL that is not a URL are ConfigErrors naming them', () => {
    configError({ LOG_LEVEL: 'verbose' }, /LOG_LEVEL/);
    configError({ DATABASE_URL: 'not a url' }, /DATABASE_URL/);
  });

  test('several bad variables are all named in one message', () => {
    configError({ PORT: 'abc', DELFIN_NAMESPACE: 'a.b' }, /PORT/, /DELFIN_NAMESPACE/);
  });

  test('an empty DELFIN_SECRET_KEY counts as not set', () => {
    assert.equal(loadConfig({ DELFIN_SECRET_KEY: '' }).secretKey, undefined);
  });

  test('unrelated environment variables are ignored', () => {
    assert.equal(loadConfig({ PATH: '/usr/bin', HOME: '/root', npm_config_x: 'y' }).port, 4000);
  });

  test('LOG_FORMAT: pretty or json; unset, pretty on a terminal and json otherwise; another value names the variable', () => {
    assert.equal(loadConfig({ LOG_FORMAT: 'pretty' }, false).logFormat, 'pretty');
    assert.equal(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat, 'json');
    assert.equal(loadConfig({}, true).logFormat, 'pretty');
    assert.equal(loadConfig({}, false).logFormat, 'json');
    assert.equal(loadConfig({ LOG_FORMAT: '' }, false).logFormat, 'json');
    configError({ LOG_FORMAT: 'text' }, /LOG_FORMAT/, /pretty or json/);
  });

  test('DELFIN_PLAYGROUND: on unless set to off (or false, 0); another value names the variable', () => {
    assert.equal(loadConfig({}).playground, true);
    assert.equal(loadConfig({ DELFIN_PLAYGROUND: 'off' }).playground, false);
    assert.equal(loadConfig({ DELFIN_PLAYGROUND: 'false' }).playground, false);
    assert.equal(loadConfig({ DELFIN_PLAYGROUND: '0' }).playground, false);
    assert.equal(loadConfig({ DELFIN_PLAYGROUND: 'on' }).playground, true);
    configError({ DELFIN_PLAYGROUND: 'maybe' }, /DELFIN_PLAYGROUND/, /on or off/);
  });

  test('ENV_VARS lists every variable read', () => {
    for (const v of ['PORT', 'HOST', 'DATABASE_URL', 'NATS_URL', 'DELFIN_NAMESPACE', 'DELFIN_CONFIG', 'DELFIN_WORKER_CONCURRENCY', 'LOG_LEVEL',
      'MONGODB_URL', 'SCHEDULER_BACKEND', 'DELFIN_MIN_INTERVAL_SECONDS', 'NODE_ENV', 'DELFIN_PLAYGROUND', 'DELFIN_TOKENS', 'DELFIN_INTROSPECTION', 'DELFIN_STREAM_REPLICAS',
      'LOG_FORMAT', 'DELFIN_DATABASE_POOL_SIZE']) {
      assert.ok((ENV_VARS as readonly string[]).includes(v), v);
    }
  });
});

describe('loadConfig: the database pool', () => {
  test('its size comes from the policy file, DELFIN_DATABASE_POOL_SIZE overriding it; a bad size is refused', () => {
    assert.equal(loadConfig({}).policy.database.poolSize, 20);
    const path = file('yaml', 'database:\n  poolSize: 8\n');
    assert.equal(loadConfig({ DELFIN_CONFIG: path }).policy.database.poolSize, 8);
    assert.equal(loadConfig({ DELFIN_CONFIG: path, DELFIN_DATABASE_POOL_SIZE: '12' }).policy.database.poolSize, 12);
    configError({ DELFIN_DATABASE_POOL_SIZE: '1' }, /DELFIN_DATABASE_POOL_SIZE/);
    configError({ DELFIN_CONFIG: file('yaml', 'database:\n  poolSize: 0\n') }, /database\.poolSize/);
  });
});

describe('loadConfig: policy file (DELFIN_CONFIG)', () => {
  test('a YAML policy file is applied; missing keys keep their defaults', () => {
    const path = file(
      'yaml',
      ['# policy', 'worker:', '  concurrency: 8', '  maxAttempts: 3', 'sync:', '  writeBatchSize: 1000', ''].join('\n'),
    );
    const c = loadConfig({ DELFIN_CONFIG: path });
    assert.equal(c.policyFile, path);
    assert.deepEqual(c.policy, {
      worker: { concurrency: 8, maxAttempts: 3, ackWaitSeconds: 30, shutdownGraceSeconds: 20, strandedAfterSeconds: 60 },
      bus: DEFAULT_POLICY.bus,
      database: DEFAULT_POLICY.database,
      drivers: { callTimeoutSeconds: 120, packages: [] },
      sync: { leaseSeconds: 30, writeBatchSize: 1000 },
      schedules: DEFAULT_POLICY.schedules,
      scheduler: DEFAULT_POLICY.scheduler,
      metrics: DEFAULT_POLICY.metrics,
      alerts: DEFAULT_POLICY.alerts,
      auth: DEFAULT_POLICY.auth,
      api: DEFAULT_POLICY.api,
    });
  });

  test('a JSON policy file is applied', () => {
    const path = file(
      'json',
      JSON.stringify({ worker: { ackWaitSeconds: 60, shutdownGraceSeconds: 0 }, drivers: { callTimeoutSeconds: 5 } }),
    );
    const c = loadConfig({ DELFIN_CONFIG: path });
    assert.deepEqual(c.policy, {
      worker: { concurrency: 4, maxAttempts: 5, ackWaitSeconds: 60, shutdownGraceSeconds: 0, strandedAfterSeconds: 60 },
      bus: DEFAULT_POLICY.bus,
      database: DEFAULT_POLICY.database,
      drivers: { callTimeoutSeconds: 5, packages: [] },
      sync: { leaseSeconds: 30, writeBatchSize: 5000 },
      schedules: DEFAULT_POLICY.schedules,
      scheduler: DEFAULT_POLICY.scheduler,
      metrics: DEFAULT_POLICY.metrics,
      alerts: DEFAULT_POLICY.alerts,
      auth: DEFAULT_POLICY.auth,
      api: DEFAULT_POLICY.api,
    });
  });

  test('an empty policy file gives the defaults', () => {
    assert.deepEqual(loadConfig({ DELFIN_CONFIG: file('yaml', '') }).policy, DEFAULT_POLICY);
    assert.deepEqual(loadConfig({ DELFIN_CONFIG: file('json', '{}') }).policy, DEFAULT_POLICY);
  });

  test('an unknown policy key is a ConfigError naming it (top level and nested)', () => {
    configError({ DELFIN_CONFIG: file('yaml', 'workers:\n  concurrency: 2\n') }, /workers/);
    const nested = file('json', JSON.stringify({ worker: { concurency: 2 } }));
    configError({ DELFIN_CONFIG: nested }, /concurency/, /worker/);
  });

  test('api.maxJsonDepth and api.maxJsonBytes are taken from the policy file; 0 or a depth over 256 is refused', () => {
    const c = loadConfig({ DELFIN_CONFIG: file('yaml', 'api:\n  maxJsonDepth: 8\n  maxJsonBytes: 4096\n') });
    assert.equal(c.policy.api.maxJsonDepth, 8);
    assert.equal(c.policy.api.maxJsonBytes, 4096);
    assert.equal(c.policy.api.maxDepth, DEFAULT_POLICY.api.maxDepth);
    configError({ DELFIN_CONFIG: file('yaml', 'api:\n  maxJsonDepth: 0\n') }, /api\.maxJsonDepth/);
    configError({ DELFIN_CONFIG: file('yaml', 'api:\n  maxJsonDepth: 257\n') }, /api\.maxJsonDepth/);
    configError({ DELFIN_CONFIG: file('yaml', 'api:\n  maxJsonBytes: 0\n') }, /api\.maxJsonBytes/);
  });

  test('a policy value out of range is a ConfigError naming its path and the file', () => {
    const path = file('yaml', 'sync:\n  writeBatchSize: 10\n');
    configError({ DELFIN_CONFIG: path }, /sync\.writeBatchSize/, new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  test('a missing policy file is a ConfigError naming the path', () => {
    const path = join(dir, 'does-not-exist.yaml');
    configError({ DELFIN_CONFIG: path }, /DELFIN_CONFIG/, new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  test('a file that is not YAML or JSON is a ConfigError naming the path', () => {
    const path = file('yaml', 'worker: [unclosed\n  : : :\n');
    configError({ DELFIN_CONFIG: path }, /neither valid YAML nor JSON/, new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  test('a policy file that is a list or a scalar, not a mapping, is a ConfigError', () => {
    configError({ DELFIN_CONFIG: file('yaml', '- a\n- b\n') });
    configError({ DELFIN_CONFIG: file('json', '42') });
  });
});

describe('loadConfig: DELFIN_WORKER_CONCURRENCY', () => {
  test('overrides the default worker.concurrency', () => {
    assert.equal(loadConfig({ DELFIN_WORKER_CONCURRENCY: '16' }).policy.worker.concurrency, 16);
  });

  test("overrides the policy file's worker.concurrency and keeps its other values", () => {
    const path = file('yaml', 'worker:\n  concurrency: 8\n  maxAttempts: 2\n');
    const c = loadConfig({ DELFIN_CONFIG: path, DELFIN_WORKER_CONCURRENCY: '3' });
    assert.equal(c.policy.worker.concurrency, 3);
    assert.equal(c.policy.worker.maxAttempts, 2);
  });

  test('an empty DELFIN_WORKER_CONCURRENCY keeps the policy value', () => {
    const path = file('yaml', 'worker:\n  concurrency: 8\n');
    assert.equal(loadConfig({ DELFIN_CONFIG: path, DELFIN_WORKER_CONCURRENCY: '' }).policy.worker.concurrency, 8);
  });

  test('out of range (0, 257, abc) is a ConfigError naming it', () => {
    for (const v of ['0', '257', 'abc']) configError({ DELFIN_WORKER_CONCURRENCY: v }, /DELFIN_WORKER_CONCURRENCY/);
  });

  test('an override does not leak into a later load (defaults are not shared)', () => {
    assert.equal(loadConfig({ DELFIN_WORKER_CONCURRENCY: '9' }).policy.worker.concurrency, 9);
    assert.equal(loadConfig({}).policy.worker.concurrency, 4);
  });
});

describe('loadConfig: scheduling', () => {
  test('MONGODB_URL, SCHEDULER_BACKEND and NODE_ENV are taken', () => {
    const c = loadConfig({ MONGODB_URL: 'mongodb://mongo:27017/delfin', SCHEDULER_BACKEND: 'postgres', NODE_ENV: 'production' });
    assert.equal(c.mongodbUrl, 'mongodb://mongo:27017/delfin');
    assert.equal(c.mongodbUrlSet, true);
    assert.equal(c.schedulerBackend, 'postgres');
    assert.equal(c.production, true);
    assert.equal(loadConfig({ MONGODB_URL: 'mongodb+srv://u:p@cluster.example/db' }).mongodbUrlSet, true);
  });

  test('an empty MONGODB_URL counts as unset', () => {
    const c = loadConfig({ MONGODB_URL: '' });
    assert.equal(c.mongodbUrl, 'mongodb://127.0.0.1:27017/delfin');
    assert.equal(c.mongodbUrlSet, false);
  });

  test('a MONGODB_URL that is not a MongoDB address, or an unknown SCHEDULER_BACKEND, is a ConfigError naming it', () => {
    configError({ MONGODB_URL: 'postgres://x/y' }, /MONGODB_URL/, /mongodb:\/\//);
    configError({ SCHEDULER_BACKEND: 'redis' }, /SCHEDULER_BACKEND/);
  });

  test('DELFIN_MIN_INTERVAL_SECONDS overrides schedules.minIntervalSeconds of the policy file', () => {
    const path = file('yaml', 'schedules:\n  minIntervalSeconds: 300\n');
    assert.equal(loadConfig({ DELFIN_CONFIG: path }).policy.schedules.minIntervalSeconds, 300);
    assert.equal(loadConfig({ DELFIN_CONFIG: path, DELFIN_MIN_INTERVAL_SECONDS: '1' }).policy.schedules.minIntervalSeconds, 1);
    assert.equal(loadConfig({}).policy.schedules.minIntervalSeconds, 60, 'the override does not leak into a later load');
    for (const v of ['0', '86401', 'x']) configError({ DELFIN_MIN_INTERVAL_SECONDS: v }, /DELFIN_MIN_INTERVAL_SECONDS/);
  });

  test('schedules.defaultSync: an interval or a cron expression', () => {
    const every = loadConfig({ DELFIN_CONFIG: file('yaml', 'schedules:\n  defaultSync: { intervalSeconds: 3600 }\n') });
    assert.deepEqual(every.policy.schedules.defaultSync, { intervalSeconds: 3600 });
    const cron = loadConfig({ DELFIN_CONFIG: file('json', JSON.stringify({ schedules: { defaultSync: { cron: '0 */6 * * *' } } })) });
    assert.deepEqual(cron.policy.schedules.defaultSync, { cron: '0 */6 * * *' });
  });

  test('schedules.defaultSync with both, neither, an interval under the minimum or a bad cron is a ConfigError', () => {
    configError({ DELFIN_CONFIG: file('yaml', 'schedules:\n  defaultSync: { intervalSeconds: 3600, cron: "0 * * * *" }\n') }, /defaultSync/, /exactly one/);
    configError({ DELFIN_CONFIG: file('yaml', 'schedules:\n  defaultSync: {}\n') }, /defaultSync/, /exactly one/);
    configError({ DELFIN_CONFIG: file('yaml', 'schedules:\n  defaultSync: { intervalSeconds: 30 }\n') }, /defaultSync\.intervalSeconds/, /minimum interval of 60/);
    configError({ DELFIN_CONFIG: file('yaml', 'schedules:\n  defaultSync: { cron: "not a cron" }\n') }, /defaultSync\.cron/);
    configError({ DELFIN_CONFIG: file('yaml', 'schedules:\n  defaultSync: { cron: "* * * * * *" }\n') }, /defaultSync\.cron/, /minimum/);
    // The minimum lowered by the environment applies to the default schedule too.
    const low = file('yaml', 'schedules:\n  defaultSync: { intervalSeconds: 5 }\n');
    assert.equal(loadConfig({ DELFIN_CONFIG: low, DELFIN_MIN_INTERVAL_SECONDS: '1' }).policy.schedules.defaultSync?.intervalSeconds, 5);
  });

  test('scheduler.processEveryMs and lockLifetimeSeconds are read and bounded', () => {
    const c = loadConfig({ DELFIN_CONFIG: file('yaml', 'scheduler:\n  processEveryMs: 200\n  lockLifetimeSeconds: 5\n') });
    assert.deepEqual(c.policy.scheduler, { processEveryMs: 200, lockLifetimeSeconds: 5 });
    configError({ DELFIN_CONFIG: file('yaml', 'scheduler:\n  processEveryMs: 10\n') }, /scheduler\.processEveryMs/);
  });
});

describe('loadConfig: DELFIN_STREAM_REPLICAS', () => {
  test('1 by default (one NATS server); 3 for a cluster', () => {
    assert.equal(loadConfig({}).streamReplicas, 1);
    assert.equal(loadConfig({ DELFIN_STREAM_REPLICAS: '3' }).streamReplicas, 3);
  });

  test('out of range (0, 6, abc) is a ConfigError naming it', () => {
    for (const v of ['0', '6', 'abc']) configError({ DELFIN_STREAM_REPLICAS: v }, /DELFIN_STREAM_REPLICAS/);
  });
});

describe('allowed WebSocket origins', () => {
  test('DELFIN_ALLOWED_ORIGINS and api.allowedOrigins are merged and normalized as browsers send Origin', () => {
    const policy = file('yaml', 'api:\n  allowedOrigins: ["https://Ops.Example.com:443"]\n');
    const config = loadConfig({ DELFIN_ALLOWED_ORIGINS: ' http://dash.example:8080/ ,https://ops.example.com', DELFIN_CONFIG: policy });
    assert.deepEqual(config.allowedOrigins, ['http://dash.example:8080', 'https://ops.example.com']);
    assert.deepEqual(loadConfig({}).allowedOrigins, []);
  });

  test('something that is not an origin is refused at start, naming the setting', () => {
    configError({ DELFIN_ALLOWED_ORIGINS: 'evil.example' }, /DELFIN_ALLOWED_ORIGINS/, /"evil\.example" is not an origin/);
    configError({ DELFIN_ALLOWED_ORIGINS: 'https://ops.example.com/path' }, /DELFIN_ALLOWED_ORIGINS/);
    configError({ DELFIN_CONFIG: file('yaml', 'api:\n  allowedOrigins: ["ftp://x"]\n') }, /api\.allowedOrigins\.0/, /use an origin/);
  });
});

describe('loadConfig: driver packages', () => {
  test('DELFIN_DRIVERS (commas or spaces) then drivers.packages, each once, in order', () => {
    assert.deepEqual(loadConfig({}).driverPackages, []);
    const policy = file('yaml', 'drivers:\n  packages: ["@acme/delfin-driver", "./local-driver"]\n');
    const c = loadConfig({ DELFIN_DRIVERS: 'delfin-driver-x, @acme/delfin-driver  other', DELFIN_CONFIG: policy });
    assert.deepEqual(c.driverPackages, ['delfin-driver-x', '@acme/delfin-driver', 'other', './local-driver']);
    assert.equal(c.policy.drivers.callTimeoutSeconds, 120);
  });

  test('drivers.packages must be a list of names', () => {
    configError({ DELFIN_CONFIG: file('yaml', 'drivers:\n  packages: acme\n') }, /drivers\.packages/);
    configError({ DELFIN_CONFIG: file('yaml', 'drivers:\n  packages: [""]\n') }, /drivers\.packages\.0/);
  });
});
