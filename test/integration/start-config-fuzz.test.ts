// Real starts of `delfin api` with seeded mutated environments and policy files (the in-process
// fuzz of loadConfig, test/unit/config-fuzz.test.ts, runs thousands; these check what the
// process prints). A start either gets past its configuration (and stops at PostgreSQL, which is
// pointed nowhere) or is refused; both in exactly one `delfin:` line, exit 1, no stack trace.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzzCases, fuzzSeed, prng, replay } from '../support/fuzz-seed.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const SEED = fuzzSeed(20261201);
const dir = mkdtempSync(join(tmpdir(), 'delfin-start-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const VARIABLES = [
  'PORT', 'HOST', 'DATABASE_URL', 'DELFIN_NAMESPACE', 'DELFIN_SECRET_KEY', 'DELFIN_SECRET_KEY_FILE', 'DELFIN_WORKER_CONCURRENCY',
  'DELFIN_DATABASE_POOL_SIZE', 'DELFIN_STREAM_REPLICAS', 'MONGODB_URL', 'SCHEDULER_BACKEND', 'DELFIN_MIN_INTERVAL_SECONDS', 'LOG_LEVEL',
  'LOG_FORMAT', 'DELFIN_PLAYGROUND', 'DELFIN_TOKENS', 'DELFIN_INTROSPECTION', 'DELFIN_ALLOWED_ORIGINS', 'DELFIN_DRIVERS', 'DELFIN_TRAP_PORT',
  'DELFIN_ALERTMANAGER_URL',
];
const VALUES = ['-1', '0', '65536', '1e3', '0x10', '1.5', 'true', 'x'.repeat(3000), 'é🐬', 'http://a', 'postgres://127.0.0.1:1/db', '/', 'a b'];
const POLICIES = [
  'worker:\n  concurrency: true\n', 'worker: [1, 2]\n', 'api:\n  maxDepth: 1e400\n', 'bogus: 1\n', 'worker:\n  concurrency: 4\n bad: [\n',
  'metrics:\n  defaults:\n    arrayPolling:\n      interval: -5\n', '\u0000\u0001\u00ff binary', '- a list\n', 'auth:\n  tokens: [{ name: a, role: root, hash: x }]\n',
  'schedules:\n  defaultSync: { intervalSeconds: 5 }\n', 'worker:\n  concurrency: 4\n',
];

function start(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, 'api'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test('fuzz: a start with a mutated environment or policy file ends in one delfin: line, never a stack trace', async () => {
  const rng = prng(SEED);
  for (let i = 0; i < fuzzCases(8); i++) {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      // Nothing reachable: a configuration that passes stops at the first service, in one line.
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/delfin_start_fuzz',
      NATS_URL: 'nats://127.0.0.1:1',
      DELFIN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'error',
    };
    const changed = rng.pick(VARIABLES);
    const policy = rng.chance(0.4) ? rng.pick(POLICIES) : undefined;
    if (policy === undefined) env[changed] = rng.pick(VALUES);
    else {
      env.DELFIN_CONFIG = join(dir, `policy-${i}.yaml`);
      writeFileSync(env.DELFIN_CONFIG, policy);
    }
    // Never the development key file of the working folder.
    if (policy === undefined && changed === 'DELFIN_SECRET_KEY') env.DELFIN_SECRET_KEY_FILE = join(dir, `key-${i}`);
    const r = await start(env);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
    const where = `${replay(SEED, i)}: ${policy !== undefined ? `policy ${JSON.stringify(policy)}` : `${changed}=${JSON.stringify(env[changed]!.slice(0, 40))}`}\n${r.stderr.slice(0, 2000)}`;
    assert.equal(r.code, 1, where);
    assert.equal(lines.length, 1, where);
    assert.match(lines[0]!, /^delfin: \S/, where);
    assert.ok(lines[0]!.length < 600, where);
  }
});
