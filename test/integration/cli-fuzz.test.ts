// Fuzz of the CLI's arguments: every operator command (found by walking the commander tree the
// `delfin` binary builds) run as a real process against a real api (`delfin all`) with mutated
// argv: unknown and missing options, garbage values, missing, extra and odd arguments. Each run
// ends 0, 1 (`delfin: <message> (<code>)`) or 2 (a usage error, commander's `error: ...`): never
// a stack trace, an unhandled rejection or another exit code. Seeded (DELFIN_FUZZ_SEED,
// DELFIN_FUZZ_CASES), docs/security.md.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Command, type Option } from 'commander';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { REGISTER, fakeInput } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { firstTaskOf } from '../support/tasks.js';
import { registerCliCommands } from '../../src/cli/index.js';
import { fuzzCases, fuzzSeed, prng, replay, type Rng } from '../support/fuzz-seed.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const SEED = fuzzSeed(20261201);
const CASES = fuzzCases(30);
/** Not fuzzed here: commands that follow until interrupted, or talk to arrays or the database rather than the api. */
const SKIPPED_OPTIONS = new Set(['--watch']);
const SKIPPED_COMMANDS = new Set(['driver check', 'secrets rotate']);

const t = testEnv('clifuzz');
let delfin: DelfinProcess;
let storageId: string;

before(async () => {
  delfin = await startDelfin('all', t.env);
  const { registerStorage } = await gql(delfin.url, REGISTER, { input: fakeInput('10.99.0.1', { pools: 2, volumes: 5 }) });
  storageId = registerStorage.id;
  await waitForTask(delfin.url, (await firstTaskOf(delfin.url, storageId)).id);
});

after(async () => {
  await delfin?.stop();
  await t.cleanup();
});

interface Leaf {
  path: string[];
  options: Option[];
  args: Array<{ required: boolean; variadic: boolean }>;
}

/** Every runnable command of the tree, with its options and arguments. */
function leaves(cmd: Command, path: string[] = []): Leaf[] {
  const own: Leaf[] = cmd.commands.length === 0
    ? [{ path, options: cmd.options.filter((o) => !SKIPPED_OPTIONS.has(o.long ?? '')), args: cmd.registeredArguments.map((a) => ({ required: a.required, variadic: a.variadic })) }]
    : [];
  return [...own, ...cmd.commands.flatMap((c) => leaves(c, [...path, c.name()]))];
}

function operatorCommands(): Leaf[] {
  const program = new Command();
  registerCliCommands(program);
  return leaves(program).filter((l) => l.path.length > 0 && !SKIPPED_COMMANDS.has(l.path.join(' ')));
}

/** Values a hurried operator or a broken script passes. */
function garbage(rng: Rng): string {
  return rng.pick([
    '', ' ', '-', '--', '-1', '0', '1', '99999999999999999999', '1.5', 'NaN', 'true', 'null', '{}', '[]', '{"a":', '{"volumes": -1}',
    'x'.repeat(rng.int(20000)), 'é🐬', '%s%n', '../../../etc/passwd', '/', 'HIGH', 'low', 'FAILED,nope', 'array,pool,bogus',
    '*/5 * * * *', '61 * * * *', '300', randomUUID(), storageId, `${storageId}x`, 'http://127.0.0.1:1/graphql', 'not a url',
    'a@b:1', 'admin@10.1.2.3:99999', '--json', '-h', '=', '\\', '$(id)', "'", '"',
  ]);
}

function argvFor(rng: Rng, leaf: Leaf): string[] {
  const argv = [...leaf.path];
  for (const a of leaf.args) if (a.required ? rng.chance(0.85) : rng.chance(0.5)) argv.push(rng.chance(0.5) ? storageId : garbage(rng));
  for (let n = rng.int(4); n > 0; n--) {
    const roll = rng.next();
    if (roll < 0.1) argv.push(`--no-such-option-${rng.int(9)}`);
    else if (roll < 0.15) argv.push(garbage(rng)); // an extra argument
    else if (leaf.options.length) {
      const o = rng.pick(leaf.options);
      const flag = (rng.chance(0.8) ? o.long : o.short) ?? o.long!;
      if (o.required || o.optional) {
        if (rng.chance(0.1)) argv.push(flag); // its value missing
        else if (rng.chance(0.2)) argv.push(`${flag}=${garbage(rng)}`);
        else argv.push(flag, garbage(rng));
      } else argv.push(flag);
    }
  }
  if (rng.chance(0.2)) argv.push('--json');
  return argv;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(argv: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...argv], {
      env: { ...t.env, DELFIN_URL: delfin.url, DELFIN_NEW_SECRET_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

test('fuzz: every command with mutated arguments exits 0, 1 with one delfin: line, or 2 with a usage error; never a stack trace', async () => {
  const rng = prng(SEED);
  const commands = operatorCommands();
  assert.ok(commands.length >= 15, `found ${commands.length} commands`);
  const codes: Record<string, number> = {};
  for (let i = 0; i < CASES; i++) {
    const argv = argvFor(rng, rng.pick(commands));
    const r = await run(argv);
    const where = `${replay(SEED, i)}: delfin ${argv.map((a) => JSON.stringify(a.length > 80 ? `${a.slice(0, 80)}…` : a)).join(' ')}\nexit ${r.code} ${r.signal ?? ''}\n${r.stderr.slice(0, 2000)}`;
    codes[String(r.code)] = (codes[String(r.code)] ?? 0) + 1;
    assert.ok(r.code === 0 || r.code === 1 || r.code === 2, where);
    assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `${where}\n(a stack trace)`);
    assert.doesNotMatch(r.stderr, /Unhandled|unhandled rejection|triggerUncaughtException/i, where);
    if (r.code === 2) assert.match(r.stderr, /^error: /m, where);
    if (r.code === 1) assert.match(r.stderr, /^delfin: \S/m, where);
  }
  process.stdout.write(`# cli fuzz, seed ${SEED}: exit codes ${JSON.stringify(codes)}\n`);
  // The api is still there and answers (the fuzz may have deleted the storage).
  assert.equal(typeof (await gql(delfin.url, '{ storages { totalCount } }')).storages.totalCount, 'number');
});
