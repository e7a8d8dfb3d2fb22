// The deployment files (docker-compose.yml, Dockerfile, config/delfin.example.yaml) cannot be run
// on the project's machines (no Docker engine): this test reads them as Docker Compose and Docker
// would, and checks the wiring a user would notice: the services exist and reach each other, every
// role runs, the app reads every variable it is given, the secret key is required, and the
// example policy file is accepted by the app.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse } from 'yaml';
import { ENV_VARS, loadConfig, policySchema } from '../../src/config.js';

// Compiled to dist/test/unit/: the project root is three levels up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// Compose resolves YAML merge keys (`<<: *anchor`); the yaml package does so only when asked.
const compose = parse(read('docker-compose.yml'), { merge: true }) as Obj;
const services = compose.services as Record<string, Obj>;
const APP_SERVICES = ['api', 'worker', 'scheduler', 'alerts'] as const;

function service(name: string): Obj {
  const s = services?.[name];
  assert.ok(isObj(s), `docker-compose.yml has no service "${name}"`);
  return s;
}

/** A service's environment as a map (Compose accepts a map or a list of NAME=value). */
function environment(name: string): Record<string, string> {
  const env = service(name).environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e: string) => {
      const i = e.indexOf('=');
      return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
    }));
  }
  assert.ok(isObj(env), `service ${name} has no environment`);
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose's interpolation of ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
function interpolate(value: string, shell: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^}])*))?\}/g, (whole, name, colon, op, arg) => {
    if (whole === '$$') return '$';
    const v = shell[name];
    const missing = colon ? v === undefined || v === '' : v === undefined;
    if (!op) return v ?? '';
    if (!missing) return v!;
    if (op === '-') return arg;
    throw new Error(`required variable ${name} is missing a value: ${arg}`);
  });
}

/** What the container's process sees as its environment, given the user's shell. */
function containerEnv(name: string, shell: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment(name)).map(([k, v]) => [k, interpolate(v, shell)]));
}

function asList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  // A string command is split on spaces by Compose (no quotes are used in these files).
  return String(v).trim().split(/\s+/);
}

/** Container ports a service publishes (short "[ip:]host:container[/proto]" or long syntax). */
function publishedContainerPorts(name: string): number[] {
  const ports = (service(name).ports ?? []) as unknown[];
  return ports.map((p) => {
    if (isObj(p)) return Number(p.target);
    const spec = String(p).replace(/\/(tcp|udp)$/, '');
    return Number(spec.split(':').at(-1));
  });
}

function seconds(duration: unknown): number {
  const text = String(duration);
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(n) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[unit];
  }
  return total;
}

// ---- Dockerfile ----------------------------------------------------------------------------

interface Instruction { op: string; args: string }

/** Instructions of a Dockerfile, continuation lines joined, comments dropped, split by stage. */
function dockerStages(text: string): { from: string; name?: string; instructions: Instruction[] }[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!current && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (current && line.trim().startsWith('#')) continue;
    if (line.endsWith('\\')) { current += line.slice(0, -1) + ' '; continue; }
    logical.push(current + line);
    current = '';
  }
  if (current) logical.push(current);
  const stages: { from: string; name?: string; instructions: Instruction[] }[] = [];
  for (const l of logical) {
    const m = /^\s*(\S+)\s*(.*)$/.exec(l)!;
    const ins = { op: m[1].toUpperCase(), args: m[2].trim() };
    if (ins.op === 'FROM') {
      const [, image, name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(ins.args)!;
      stages.push({ from: image, name, instructions: [] });
    } else {
      assert.ok(stages.length > 0, `Dockerfile: ${ins.op} before any FROM`);
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return stages;
}

const stages = dockerStages(read('Dockerfile'));
const runtime = stages.at(-1)!;
const runtimeOps = (op: string) => runtime.instructions.filter((i) => i.op === op);

describe('docker-compose.yml: the services the app needs', () => {
  test('postgres, nats, mongo, api, worker, scheduler and alerts are all there', () => {
    for (const name of ['postgres', 'nats', 'mongo', ...APP_SERVICES]) service(name);
  });

  test('api, worker, scheduler and alerts are built from the project Dockerfile and run their role', () => {
    for (const [name, role] of [['api', 'api'], ['worker', 'worker'], ['scheduler', 'scheduler'], ['alerts', 'alerts receive']] as const) {
      const build = service(name).build;
      assert.ok(build !== undefined, `${name} has no build`);
      const context = typeof build === 'string' ? build : String((build as Obj).context ?? '.');
      const dockerfile = typeof build === 'string' ? 'Dockerfile' : String((build as Obj).dockerfile ?? 'Dockerfile');
      assert.equal(path.resolve(ROOT, context, dockerfile), path.join(ROOT, 'Dockerfile'), `${name} builds another Dockerfile`);
      assert.deepEqual(asList(service(name).command), role.split(' '), `${name} does not run \`delfin ${role}\``);
    }
  });

  test('the app services wait for postgres to be healthy and for nats to start', () => {
    for (const name of APP_SERVICES) {
      const deps = service(name).depends_on as Record<string, { condition?: string }>;
      assert.ok(isObj(deps), `${name} has no depends_on conditions`);
      assert.equal(deps.postgres?.condition, 'service_healthy', `${name} starts before postgres is ready`);
      assert.ok(['service_started', 'service_healthy'].includes(deps.nats?.condition ?? ''), `${name} does not wait for nats`);
      assert.ok(service('postgres').healthcheck, 'postgres has no healthcheck, so service_healthy never holds');
    }
  });

  test('DATABASE_URL points at the postgres service on 5432, with credentials it accepts', () => {
    const pgEnv = environment('postgres');
    for (const name of APP_SERVICES) {
      const url = new URL(containerEnv(name, { DELFIN_SECRET_KEY: 'k' }).DATABASE_URL);
      assert.equal(url.protocol, 'postgres:');
      assert.equal(url.hostname, 'postgres', `${name}'s DATABASE_URL does not name the postgres service`);
      assert.equal(url.port || '5432', '5432');
      assert.equal(decodeURIComponent(url.username), pgEnv.POSTGRES_USER ?? 'postgres');
      if (pgEnv.POSTGRES_HOST_AUTH_METHOD !== 'trust') {
        assert.equal(decodeURIComponent(url.password), pgEnv.POSTGRES_PASSWORD, `${name}'s DATABASE_URL password differs from POSTGRES_PASSWORD`);
      }
    }
  });

  test('NATS_URL points at the nats service on 4222, which runs JetStream on a volume', () => {
    for (const name of APP_SERVICES) {
      const url = new URL(containerEnv(name, { DELFIN_SECRET_KEY: 'k' }).NATS_URL);
      assert.equal(url.protocol, 'nats:');
      assert.equal(url.hostname, 'nats', `${name}'s NATS_URL does not name the nats service`);
      assert.equal(url.port || '4222', '4222');
    }
    const command = asList(service('nats').command);
    assert.ok(command.includes('-js') || command.includes('--jetstream'), 'nats runs without JetStream (-js)');
    const sd = command.indexOf('-sd');
    assert.ok(sd >= 0, 'nats has no JetStream store directory (-sd)');
    const mounts = asList(service('nats').volumes).map((v) => v.split(':')[1]);
    assert.ok(mounts.includes(command[sd + 1]), 'the JetStream store directory is not on a volume: tasks are lost on restart');
    assert.ok(publishedContainerPorts('nats').includes(4222));
    assert.ok(publishedContainerPorts('nats').includes(8222), 'nats monitoring port is not published');
  });

  test('MONGODB_URL points at the mongo service (official image) on 27017, which keeps its data on a volume', () => {
    const mongo = service('mongo');
    assert.match(String(mongo.image), /^mongo(:|$)/, 'mongo is not the official image');
    for (const name of APP_SERVICES) {
      const env = containerEnv(name, { DELFIN_SECRET_KEY: 'k' });
      const url = new URL(env.MONGODB_URL ?? '');
      assert.equal(url.protocol, 'mongodb:', `${name} has no MONGODB_URL`);
      assert.equal(url.hostname, 'mongo', `${name}'s MONGODB_URL does not name the mongo service`);
      assert.equal(url.port || '27017', '27017');
      assert.equal(loadConfig(env).schedulerBackend, 'mongodb');
    }
    assert.ok(asList(mongo.volumes).some((v) => v.split(':')[1] === '/data/db'), "mongo's /data/db is not on a volume: schedules are lost on restart");
    assert.ok('mongodata' in (compose.volumes as Obj));
    assert.ok(mongo.healthcheck, 'mongo has no healthcheck, so service_healthy never holds');
  });

  test('the scheduler waits for mongo, runs in production mode (never the in-memory stand-in) and stops gracefully', () => {
    const scheduler = service('scheduler');
    const deps = scheduler.depends_on as Record<string, { condition?: string }>;
    assert.equal(deps.mongo?.condition, 'service_healthy', 'the scheduler starts before mongo is ready');
    assert.equal((service('api').depends_on as Obj).mongo, undefined, 'the api waits for mongo, which it never uses (schedules are in PostgreSQL)');
    assert.equal(scheduler.ports, undefined, 'a scheduler publishes ports: replicas would clash');
    assert.equal((scheduler.healthcheck as Obj | undefined)?.disable, true, 'the scheduler would be reported unhealthy');
    assert.ok(seconds(scheduler.stop_grace_period) > 5, 'the scheduler gets no time to finish its running jobs');
    // NODE_ENV=production comes from the image: the stand-in is refused, whatever MONGODB_URL says.
    assert.match(runtimeOps('ENV').map((e) => e.args).join(' '), /NODE_ENV=production/);
    const config = loadConfig({ ...containerEnv('scheduler', { DELFIN_SECRET_KEY: 'k' }), NODE_ENV: 'production' });
    assert.equal(config.production, true);
    assert.equal(config.mongodbUrlSet, true);
  });

  test('the api listens on 0.0.0.0 on PORT, unpublished (replicas would clash), and checks /readyz there', () => {
    const env = containerEnv('api', { DELFIN_SECRET_KEY: 'k' });
    assert.equal(env.HOST, '0.0.0.0', 'the api binds a loopback address: unreachable from outside its container');
    const port = Number(env.PORT ?? 4000);
    assert.deepEqual(publishedContainerPorts('api'), [], 'the api publishes a port: a second replica could not start');
    assert.ok(asList(service('api').expose).includes(String(port)), `the api does not expose its port ${port}`);
    assert.ok(Number((service('api').deploy as Obj | undefined)?.replicas) >= 2, 'the api runs a single replica');
    const check = asList((service('api').healthcheck as Obj | undefined)?.test).join(' ');
    assert.match(check, new RegExp(`127\\.0\\.0\\.1:${port}/readyz`), 'the api healthcheck does not ask /readyz on PORT');
  });

  test('the trap receiver takes UDP 162 on every address, may bind it as non-root, and serves its metrics to Prometheus', () => {
    const env = containerEnv('alerts', { DELFIN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
    const config = loadConfig(env);
    assert.deepEqual({ host: config.trap.host, port: config.trap.port }, { host: '0.0.0.0', port: 162 });
    assert.ok(config.trap.receiveBufferBytes >= 1024 * 1024);
    assert.ok((service('alerts').ports as string[]).includes(`${config.trap.port}:${config.trap.port}/udp`), 'the trap port is not published over UDP');
    assert.equal(String((service('alerts').sysctls as Obj)['net.ipv4.ip_unprivileged_port_start']), '0');
    const prom = parse(read('config/prometheus.yml')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    assert.ok(prom.scrape_configs.some((j) => j.static_configs[0]!.targets.includes(`alerts:${config.alertsMetricsPort}`)), 'Prometheus does not scrape the receiver');
  });

  test('schedulers run as replicas (Agenda locks each due job), without ports', () => {
    const scheduler = service('scheduler');
    assert.ok(Number((scheduler.deploy as Obj | undefined)?.replicas) >= 2, 'a single scheduler');
    assert.equal(scheduler.ports, undefined);
  });

  test('every environment variable given to the app services is one the app reads', () => {
    const known = new Set<string>(ENV_VARS);
    for (const name of APP_SERVICES) {
      const unknown = Object.keys(environment(name)).filter((k) => !known.has(k));
      assert.deepEqual(unknown, [], `${name} is given variables src/config.ts does not read`);
    }
  });

  test('the app starts with the environment compose gives it (only DELFIN_SECRET_KEY set by the user)', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    for (const name of APP_SERVICES) {
      const config = loadConfig(containerEnv(name, { DELFIN_SECRET_KEY: key }));
      assert.equal(config.secretKey, key);
      assert.equal(config.namespace, 'delfin');
      assert.equal(config.policyFile || undefined, undefined, 'a policy file is required where it should be optional');
    }
  });

  test('DELFIN_SECRET_KEY is required, not defaulted to a fixed key', () => {
    for (const name of APP_SERVICES) {
      assert.ok('DELFIN_SECRET_KEY' in environment(name), `${name} is not given DELFIN_SECRET_KEY`);
      assert.throws(() => containerEnv(name, {}), /DELFIN_SECRET_KEY/, `${name} starts without DELFIN_SECRET_KEY`);
      assert.throws(() => containerEnv(name, { DELFIN_SECRET_KEY: '' }), /DELFIN_SECRET_KEY/, `${name} starts with an empty key`);
      assert.equal(containerEnv(name, { DELFIN_SECRET_KEY: 'mine' }).DELFIN_SECRET_KEY, 'mine');
    }
  });

  test('a policy file in ./config is readable in the containers at the relative path DELFIN_CONFIG names', () => {
    const workdir = runtimeOps('WORKDIR').at(-1)?.args;
    assert.ok(workdir, 'the runtime stage has no WORKDIR');
    for (const name of APP_SERVICES) {
      const mount = asList(service(name).volumes).find((v) => v.startsWith('./config:'));
      assert.ok(mount, `${name} does not mount ./config`);
      const [, target, mode] = mount.split(':');
      assert.equal(target, path.posix.join(workdir, 'config'));
      assert.equal(mode, 'ro', `${name} mounts the policy files writable`);
      const config = loadConfig(containerEnv(name, { DELFIN_SECRET_KEY: 'k', DELFIN_CONFIG: path.join(ROOT, 'config/delfin.example.yaml') }));
      assert.equal(config.policy.worker.concurrency, 4);
    }
  });

  test('workers scale out and get time to drain their tasks on SIGTERM', () => {
    const worker = service('worker');
    assert.ok(Number((worker.deploy as Obj | undefined)?.replicas) >= 2, 'the worker runs a single replica');
    assert.equal(worker.ports, undefined, 'a worker publishes ports: replicas would clash');
    assert.ok(!('HOST' in environment('worker')) && !('PORT' in environment('worker')));
    const grace = policySchema.parse({}).worker.shutdownGraceSeconds;
    assert.ok(seconds(worker.stop_grace_period) > grace, `stop_grace_period must exceed the worker's ${grace} s drain`);
    // The image's healthcheck asks the api's /healthz, which a worker does not serve.
    assert.equal((worker.healthcheck as Obj | undefined)?.disable, true, 'the worker would be reported unhealthy');
    for (const name of APP_SERVICES) assert.equal(service(name).restart, 'unless-stopped');
  });

  test('named volumes keep postgres and nats data', () => {
    const volumes = compose.volumes as Obj;
    assert.ok(isObj(volumes) && 'pgdata' in volumes && 'natsdata' in volumes);
    assert.ok(asList(service('postgres').volumes).includes('pgdata:/var/lib/postgresql/data'));
  });
});

describe('Dockerfile', () => {
  test('builds in one stage and runs in another, both on node:24-bookworm-slim (an LTS line the README supports)', () => {
    assert.ok(stages.length >= 2, 'the Dockerfile is not multi-stage');
    for (const s of stages) assert.equal(s.from, 'node:24-bookworm-slim');
    const build = stages[0].instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    const ci = build.findIndex((r) => /\bnpm ci\b/.test(r));
    const prune = build.findIndex((r) => /\bnpm prune\b.*--omit=dev/.test(r));
    assert.ok(ci >= 0, 'the build stage does not run npm ci (which compiles through `prepare`)');
    assert.ok(prune > ci, 'dev dependencies are not pruned after the build');
    assert.doesNotMatch(build[ci], /--ignore-scripts|--omit=dev/, 'npm ci would skip `prepare` or tsc, and compile nothing');
  });

  test('the build stage copies what `npm run build` reads before npm ci: the server and the web pages', () => {
    const ops = stages[0].instructions;
    const ci = ops.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    const copied = ops.slice(0, ci).filter((i) => i.op === 'COPY').map((i) => i.args).join('\n');
    for (const p of ['tsconfig.json', 'src', 'web']) assert.match(copied, new RegExp(`(^|\\s)${p}\\b`), `${p} is not copied before npm ci`);
  });

  test('the image runs bin/delfin.js, `all` by default', () => {
    assert.deepEqual(JSON.parse(runtimeOps('ENTRYPOINT').at(-1)!.args), ['node', 'bin/delfin.js']);
    assert.deepEqual(JSON.parse(runtimeOps('CMD').at(-1)!.args), ['all']);
    assert.ok(existsSync(path.join(ROOT, 'bin/delfin.js')));
    const copied = runtimeOps('COPY').map((c) => c.args).join('\n');
    for (const p of ['package.json', 'node_modules', 'dist', 'bin']) assert.match(copied, new RegExp(`/app/${p}\\b`), `${p} is not in the image`);
  });

  test('the runtime stage runs as a non-root user, in production mode', () => {
    const user = runtimeOps('USER').at(-1)?.args.split(':')[0];
    assert.ok(user, 'the runtime stage runs as root');
    assert.ok(!['root', '0'].includes(user), 'the runtime stage runs as root');
    assert.match(runtimeOps('ENV').map((e) => e.args).join(' '), /NODE_ENV=production/);
  });

  test('has a healthcheck that needs no curl, on the exposed port', () => {
    const check = runtimeOps('HEALTHCHECK').at(-1)?.args ?? '';
    assert.match(check, /CMD \["node",/);
    assert.match(check, /\/healthz/);
    assert.ok(runtimeOps('EXPOSE').some((e) => e.args.split(/\s+/).includes('4000')));
  });

  test('.dockerignore keeps local state and build output out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const p of ['node_modules', 'dist', '.git', '.delfin', 'test-artifacts', 'bench/results', '*.log']) {
      assert.ok(ignored.includes(p), `.dockerignore does not list ${p}`);
    }
  });
});

describe('config/delfin.example.yaml', () => {
  const example = parse(read('config/delfin.example.yaml')) as unknown;

  test('is accepted by the app (policySchema)', () => {
    const result = policySchema.safeParse(example);
    assert.ok(result.success, result.success ? '' : JSON.stringify(result.error.issues));
  });

  test('lists every policy key, at its default value', () => {
    assert.deepEqual(example, policySchema.parse({}));
  });
});

describe('Prometheus in docker-compose', () => {
  test('scrapes the api /metrics with the mounted config/prometheus.yml', () => {
    const prom = service('prometheus');
    const volumes = (prom.volumes as string[]).join(' ');
    assert.match(volumes, /\.\/config\/prometheus\.yml:\/etc\/prometheus\/prometheus\.yml/);
    assert.match((prom.command as string[]).join(' '), /--config\.file=\/etc\/prometheus\/prometheus\.yml/);
    const config = parse(read('config/prometheus.yml')) as { scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }> };
    const job = config.scrape_configs[0]!;
    assert.equal(job.metrics_path, '/metrics');
    const apiPort = environment('api').PORT;
    assert.deepEqual(job.static_configs[0]!.targets, [`api:${apiPort}`]);
  });
});

describe('Grafana in docker-compose', () => {
  test('provisions the Prometheus service as its data source and the repository\'s dashboards', () => {
    const grafana = service('grafana');
    const volumes = asList(grafana.volumes);
    assert.ok(volumes.includes('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro'));
    assert.ok(volumes.includes('./deploy/grafana/dashboards:/etc/grafana/dashboards:ro'));
    const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: Array<{ type: string; url: string; uid: string }> };
    const prometheus = datasources.datasources[0]!;
    assert.equal(prometheus.type, 'prometheus');
    assert.equal(prometheus.url, `http://prometheus:${publishedContainerPorts('prometheus')[0]}`);
    const providers = parse(read('deploy/grafana/provisioning/dashboards/delfin.yml')) as { providers: Array<{ options: { path: string } }> };
    assert.equal(providers.providers[0]!.options.path, '/etc/grafana/dashboards');
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/delfin.json')) as { uid: string; panels: unknown[] };
    assert.ok(dashboard.uid && dashboard.panels.length > 0);
    assert.ok(asList(grafana.depends_on).includes('prometheus'));
  });

  test('asks for an admin password rather than keeping Grafana\'s default one', () => {
    assert.throws(() => containerEnv('grafana', {}), /GRAFANA_ADMIN_PASSWORD/);
    assert.equal(containerEnv('grafana', { GRAFANA_ADMIN_PASSWORD: 'pw' }).GF_SECURITY_ADMIN_PASSWORD, 'pw');
  });
});

describe('the load balancer (lb) in front of the api replicas', () => {
  const nginx = read('config/nginx.conf');
  const apiPort = Number(environment('api').PORT ?? 4000);

  test('nginx with config/nginx.conf mounted, publishing the port it listens on, after the api is ready', () => {
    const lb = service('lb');
    const [, version] = /^nginx:(\d+\.\d+(?:\.\d+)?)/.exec(String(lb.image)) ?? [];
    assert.ok(version, `lb is not the official nginx image: ${String(lb.image)}`);
    const [major, minor, patch = 0] = version.split('.').map(Number) as [number, number, number?];
    // `resolve` on an upstream server (following replicas) is in open-source nginx from 1.27.3.
    assert.ok(major > 1 || minor > 27 || (minor === 27 && patch >= 3), `nginx ${version} cannot re-resolve the api replicas`);
    assert.ok(asList(lb.volumes).includes('./config/nginx.conf:/etc/nginx/nginx.conf:ro'));
    const listen = Number(/^\s*listen\s+(\d+)\s*;/m.exec(nginx)?.[1]);
    assert.ok(publishedContainerPorts('lb').includes(listen), `lb listens on ${listen} but does not publish it`);
    assert.equal((lb.depends_on as Record<string, { condition?: string }>).api?.condition, 'service_healthy');
  });

  test('balances over every api replica, found through Docker DNS and re-resolved', () => {
    const upstream = /upstream\s+(\S+)\s*\{([^}]*)\}/.exec(nginx);
    assert.ok(upstream, 'no upstream block');
    const [, name, body] = upstream;
    assert.match(body!, new RegExp(`^\\s*server\\s+api:${apiPort}\\s+resolve\\b`, 'm'), `the upstream is not api:${apiPort} with resolve`);
    assert.match(body!, /^\s*zone\s+\S+\s+\S+;/m, 'resolve needs a shared-memory zone');
    assert.match(nginx, /^\s*resolver\s+127\.0\.0\.11\b/m, "nginx does not ask Docker's DNS");
    assert.match(nginx, new RegExp(`proxy_pass\\s+http://${name};`));
  });

  test('passes WebSocket upgrades (graphql-ws) and keeps subscriptions open', () => {
    assert.match(nginx, /proxy_http_version\s+1\.1;/);
    assert.match(nginx, /proxy_set_header\s+Upgrade\s+\$http_upgrade;/);
    assert.match(nginx, /proxy_set_header\s+Connection\s+\$connection_upgrade;/);
    assert.match(nginx, /map\s+\$http_upgrade\s+\$connection_upgrade\s*\{[^}]*default\s+upgrade;/);
    // graphql-ws pings every 12 s: the proxy must wait longer than that on an idle subscription.
    assert.ok(seconds(/proxy_read_timeout\s+(\S+);/.exec(nginx)?.[1]) > 12, 'idle subscriptions would be cut');
    assert.match(nginx, /proxy_buffering\s+off;/);
    assert.match(nginx, /client_max_body_size\s+1m;/, 'the proxy refuses bodies the api accepts (1 MB)');
  });
});

describe('docker-compose.ha.yml: NATS and MongoDB replicated', () => {
  const ha = parse(read('docker-compose.ha.yml'), { merge: true }) as Obj;
  const haServices = ha.services as Record<string, Obj>;
  const natsNodes = Object.keys(haServices).filter((n) => /^nats(-\d+)?$/.test(n));
  const mongoMembers = Object.keys(haServices).filter((n) => /^mongo(-\d+)?$/.test(n));
  const haEnv = (name: string) => haServices[name]!.environment as Record<string, string>;
  const flag = (command: string[], name: string) => command[command.indexOf(name) + 1];

  test('a NATS cluster of 3 JetStream nodes, each named, on its own volume, routed to all', () => {
    assert.deepEqual(natsNodes.sort(), ['nats', 'nats-2', 'nats-3']);
    const names = new Set<string>();
    for (const node of natsNodes) {
      const command = asList(haServices[node]!.command);
      assert.ok(command.includes('-js'), `${node} runs without JetStream`);
      assert.equal(flag(command, '--cluster_name'), 'delfin');
      names.add(flag(command, '--name')!);
      const routes = flag(command, '--routes')!.split(',').map((r) => new URL(r).hostname);
      assert.deepEqual(routes.sort(), [...natsNodes].sort(), `${node} does not route to every node`);
      const volumes = node === 'nats' ? asList(service('nats').volumes) : asList(haServices[node]!.volumes);
      assert.ok(volumes.some((v) => v.split(':')[1] === flag(command, '-sd')), `${node}'s JetStream store is not on a volume`);
    }
    assert.equal(names.size, natsNodes.length, 'JetStream needs a distinct server name per node');
  });

  test('a MongoDB replica set of 3 members, initiated with those members', () => {
    assert.deepEqual(mongoMembers.sort(), ['mongo', 'mongo-2', 'mongo-3']);
    for (const m of mongoMembers) assert.equal(flag(asList(haServices[m]!.command), '--replSet'), 'rs0');
    const init = asList(haServices['mongo-init']!.command).join(' ');
    for (const m of mongoMembers) assert.match(init, new RegExp(`host: '${m}:27017'`));
    assert.match(init, /_id: 'rs0'/);
  });

  test('the app services know every node, and the task stream has as many replicas as there are NATS nodes', () => {
    for (const name of APP_SERVICES) {
      const env = { ...containerEnv(name, { DELFIN_SECRET_KEY: 'k' }), ...haEnv(name) };
      const nats = env.NATS_URL!.split(',').map((u) => new URL(u).hostname);
      assert.deepEqual(nats.sort(), [...natsNodes].sort(), `${name}'s NATS_URL`);
      const mongo = env.MONGODB_URL!;
      assert.match(mongo, /[?&]replicaSet=rs0\b/);
      assert.deepEqual(/^mongodb:\/\/([^/]+)\//.exec(mongo)![1]!.split(',').map((h) => h.split(':')[0]).sort(), [...mongoMembers].sort());
      const config = loadConfig(env);
      assert.equal(config.streamReplicas, natsNodes.length);
      assert.equal(config.natsUrl, env.NATS_URL);
    }
    assert.equal((haServices.scheduler!.depends_on as Record<string, { condition?: string }>)['mongo-init']?.condition, 'service_completed_successfully');
    assert.equal((haServices.api?.depends_on as Record<string, unknown> | undefined)?.['mongo-init'], undefined, 'the api never uses MongoDB');
    const known = new Set<string>(ENV_VARS);
    for (const name of APP_SERVICES) assert.deepEqual(Object.keys(haEnv(name)).filter((k) => !known.has(k)), []);
  });
});
