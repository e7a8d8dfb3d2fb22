// Fuzz of the start-up configuration, in process: mutated environment values (every variable
// config.ts reads) and mutated policy files (wrong types, unknown keys, huge and negative
// numbers, nested garbage, invalid YAML, binary bytes). loadConfig either gives a Config whose
// values are exactly those written, or refuses with a ConfigError of one line naming the
// setting; it never throws anything else. Seeded (DELFIN_FUZZ_SEED, DELFIN_FUZZ_CASES).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, ENV_VARS, loadConfig, policySchema, type Config } from '../../src/config.js';
import { fuzzCases, fuzzSeed, prng, replay, type Rng } from '../support/fuzz-seed.js';

const dir = mkdtempSync(join(tmpdir(), 'delfin-config-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SEED = fuzzSeed(20261201);

/** Texts an operator, a template or a broken deployment puts in a variable. */
const ENV_GARBAGE = [
  ' ', '0', '-1', '1', '4', '65536', '99999999999999999999', '1e3', '0x10', '0b11', '1.5', ' 7 ', '+8', 'true', 'off', 'NaN',
  'Infinity', 'null', '[]', '{}', '${PORT}', 'é', '\u00ff\u00fe', 'x'.repeat(5000), 'nats://', 'postgres://h/db', 'http://a',
  'mongodb://h/x', 'admin:tok', 'viewer:' + 'a'.repeat(40), 'https://ops.example.com', 'https://a/b', 'debug', 'json', 'postgres',
];

/** Where each number-valued variable lands in the Config. */
const NUMERIC_ENV: Record<string, (c: Config) => number> = {
  PORT: (c) => c.port,
  DELFIN_WORKER_CONCURRENCY: (c) => c.policy.worker.concurrency,
  DELFIN_DATABASE_POOL_SIZE: (c) => c.policy.database.poolSize,
  DELFIN_STREAM_REPLICAS: (c) => c.streamReplicas,
  DELFIN_MIN_INTERVAL_SECONDS: (c) => c.policy.schedules.minIntervalSeconds,
  DELFIN_TRAP_PORT: (c) => c.trap.port,
};

const POLICY_GARBAGE: unknown[] = [
  null, true, false, 0, -1, -0.5, 1.5, 2 ** 31, 2 ** 53 + 1, 1e308, '', '12', '0x10', '1e3', 'yes', 'on', [], [1], [[[]]], {}, { a: { b: { c: [] } } },
  'https://ops.example.com', 'sha256:' + '0'.repeat(64), 'x'.repeat(3000),
];

/** Every leaf of the policy with its default: the places a mutation aims at. */
function leaves(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [path];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
}
const LEAVES = leaves(policySchema.parse({}));

function setAt(root: Record<string, unknown>, path: string[], value: unknown): void {
  let o = root;
  for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[path[path.length - 1]!] = value;
}

function getAt(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], root);
}

interface PolicyCase {
  text: string;
  /** The leaf set, with what was written there, when the file is valid YAML with one leaf changed. */
  leaf?: { path: string[]; value: unknown };
}

/** A policy file: a value at one leaf, an unknown key, garbage for a section, or text that is not YAML. */
function policyCase(rng: Rng): PolicyCase {
  const policy: Record<string, unknown> = {};
  const path = rng.pick(LEAVES);
  switch (rng.int(6)) {
    case 0:
    case 1: {
      const value = rng.pick(POLICY_GARBAGE);
      setAt(policy, path, value);
      return { text: rng.chance(0.5) ? stringify(policy) : JSON.stringify(policy), leaf: { path, value } };
    }
    case 2:
      setAt(policy, [...path.slice(0, -1), `unknown${rng.int(3)}`], rng.pick(POLICY_GARBAGE));
      return { text: stringify(policy) };
    case 3:
      setAt(policy, path.slice(0, 1 + rng.int(Math.max(1, path.length - 1))), rng.pick(POLICY_GARBAGE));
      return { text: stringify(policy) };
    case 4: {
      setAt(policy, path, 1);
      const text = stringify(policy);
      const at = rng.int(text.length + 1);
      const junk = rng.pick(['\t', ': :', '- ', '{', ']', '"', '&a *a', '*nope', '!!binary ?', '!custom x', '\n  bad:\n bad', '%YAML 9.9\n', 'a: 1\na: 2\n']);
      return { text: text.slice(0, at) + junk + text.slice(at) };
    }
    default:
      return { text: Buffer.from(Array.from({ length: 1 + rng.int(64) }, () => rng.int(256))).toString('latin1') };
  }
}

function oneLine(message: string, where: string): void {
  assert.ok(!message.includes('\n'), `${where}: more than one line: ${message}`);
  assert.ok(message.length < 600, `${where}: ${message.length} characters`);
}

test('fuzz: mutated environment values start with exactly those values or are refused in one line naming the variable', () => {
  const rng = prng(SEED);
  for (let i = 0; i < fuzzCases(3000); i++) {
    const where = replay(SEED, i);
    const changed = Array.from({ length: 1 + rng.int(2) }, () => rng.pick(ENV_VARS.filter((v) => v !== 'DELFIN_CONFIG')));
    const env: NodeJS.ProcessEnv = {};
    for (const name of changed) env[name] = rng.pick(ENV_GARBAGE);
    let config: Config | undefined;
    try {
      config = loadConfig(env, false);
    } catch (err) {
      assert.ok(err instanceof ConfigError, `${where}: ${JSON.stringify(env)} threw ${String(err)}`);
      oneLine(err.message, where);
      assert.ok(changed.some((name) => err.message.includes(name)), `${where}: ${JSON.stringify(env)}: the message names none of ${changed}: ${err.message}`);
      continue;
    }
    for (const name of changed.filter((n) => n in NUMERIC_ENV)) {
      const text = env[name]!.trim();
      if (text === '') continue; // empty counts as unset
      assert.match(text, /^[+-]?\d+$/, `${where}: ${name}=${JSON.stringify(env[name])} was accepted`);
      assert.equal(NUMERIC_ENV[name]!(config), Number(text), `${where}: ${name}`);
    }
  }
});

test('fuzz: mutated policy files start with exactly what they say or are refused in one line naming the file and the setting', () => {
  const rng = prng(SEED + 1);
  for (let i = 0; i < fuzzCases(3000); i++) {
    const where = replay(SEED + 1, i);
    const c = policyCase(rng);
    const path = join(dir, `policy-${i}.yaml`);
    writeFileSync(path, c.text);
    let config: Config | undefined;
    try {
      config = loadConfig({ DELFIN_CONFIG: path }, false);
    } catch (err) {
      assert.ok(err instanceof ConfigError, `${where}: ${JSON.stringify(c.text.slice(0, 200))} threw ${String(err)}`);
      oneLine(err.message, where);
      assert.ok(err.message.includes(path), `${where}: the message does not name the file: ${err.message}`);
      if (c.leaf) assert.ok(err.message.includes(c.leaf.path[0]!), `${where}: the message does not name ${c.leaf.path.join('.')}: ${err.message}`);
      continue;
    }
    if (!c.leaf) continue;
    // Accepted: the setting holds what was written (a number written as digits counts as that number).
    const { path: leaf, value } = c.leaf;
    const got = getAt(config.policy, leaf);
    const meant = typeof value === 'string' && /^\d+$/.test(value) && typeof got === 'number' ? Number(value) : value;
    assert.deepEqual(got, meant, `${where}: ${leaf.join('.')} written as ${JSON.stringify(value)} became ${JSON.stringify(got)}`);
  }
});

/** The refusal loadConfig gives, or undefined when it starts. */
function refusal(env: NodeJS.ProcessEnv): string | undefined {
  try {
    loadConfig(env, false);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
}

function policyText(text: string): string {
  const path = join(dir, `regression-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return path;
}

test('what the fuzz found stays fixed', () => {
  // Number() turned these into numbers: a boolean, a list, null, hex and exponents started silently.
  assert.match(refusal({ DELFIN_CONFIG: policyText('worker:\n  concurrency: true\n') }) ?? '', /worker\.concurrency: Invalid input: expected number, received boolean$/);
  assert.match(refusal({ DELFIN_CONFIG: policyText('worker:\n  shutdownGraceSeconds:\n') }) ?? '', /worker\.shutdownGraceSeconds: Invalid input: expected number, received null$/);
  assert.match(refusal({ DELFIN_CONFIG: policyText('api:\n  maxAliases: [5]\n') }) ?? '', /api\.maxAliases: Invalid input: expected number, received array$/);
  assert.match(refusal({ DELFIN_CONFIG: policyText('worker:\n  concurrency: "0x10"\n') }) ?? '', /worker\.concurrency: Invalid input: expected number, received string$/);
  assert.match(refusal({ PORT: '0x10' }) ?? '', /^environment variable PORT: /);
  assert.match(refusal({ DELFIN_WORKER_CONCURRENCY: '1e2' }) ?? '', /^environment variable DELFIN_WORKER_CONCURRENCY: /);
  assert.equal(loadConfig({ PORT: ' 8080 ', DELFIN_CONFIG: policyText('worker:\n  concurrency: "7"\n') }, false).port, 8080);
  // A minimum from the environment that the default policy cannot meet is named as such.
  assert.equal(
    refusal({ DELFIN_MIN_INTERVAL_SECONDS: '65536' }),
    'default policy metrics.defaults.arrayPolling.interval: 900 is outside 65536..86400 seconds (the minimum set by DELFIN_MIN_INTERVAL_SECONDS)',
  );
  // Invalid YAML and keys with control characters: one line, not the parser's drawing of the text.
  const bad = policyText('worker:\n  concurrency: 4\n bad: [\n');
  assert.match(refusal({ DELFIN_CONFIG: bad }) ?? '', new RegExp(`^DELFIN_CONFIG: ${bad} is neither valid YAML nor JSON \\([^\\n]+ at line \\d+, column \\d+\\)$`));
  assert.match(refusal({ DELFIN_CONFIG: policyText('{"worker": {"a\\nb": 1}}') }) ?? '', /^policy file .* worker: Unrecognized key: "a\\nb"$/);
  assert.match(refusal({ DELFIN_CONFIG: policyText('worker: !custom 4\n') }) ?? '', /is neither valid YAML nor JSON \(.*custom/);
  // A long value is cut, a database URL must name PostgreSQL and a database.
  assert.ok((refusal({ DELFIN_ALLOWED_ORIGINS: 'x'.repeat(5000) }) ?? '').length < 300);
  assert.match(refusal({ DATABASE_URL: 'http://a' }) ?? '', /^environment variable DATABASE_URL: use a PostgreSQL URL naming its database/);
  assert.match(refusal({ DATABASE_URL: 'postgres://h:5432/' }) ?? '', /^environment variable DATABASE_URL: /);
  assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u:p@h:5432/db?sslmode=require' }, false).databaseUrl, 'postgresql://u:p@h:5432/db?sslmode=require');
});
