// The README's first session, exactly as written: the ```sh blocks between
// `<!-- first-session:begin -->` and `<!-- first-session:end -->` run in one bash, in order, from
// the repository's root, against `delfin all` (DELFIN_URL points them at it). Each block must
// succeed and print what the README shows after it, so the README cannot drift from the code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { readmeSession, type SessionStep } from '../support/readme-session.js';
import { skipWithoutEmulator } from '../support/swordfish.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_LINE = /^\S+Z (QUEUED|STARTED|PROGRESS|SUCCEEDED)\s+(\d+)% (\S+)(?: (.*))?$/;
const STATS_LINE = /^synced in [\d.]+ s: pools \d+ added, \d+ updated, \d+ deleted; volumes \d+ added, \d+ updated, \d+ deleted$/;

const EMULATOR_LINE = /^swordfish-emulator url=\S+ pid=(\d+) dir=(\S+) cert=\S+$/m;

const t = testEnv('readme');
let system: DelfinProcess;
let steps: SessionStep[];
/** What the session printed, for after() to stop the emulator it started. */
let printed = '';
/** The last block starts the Swordfish emulator: left out (with one line) where there is none, outside CI. */
const noEmulator = skipWithoutEmulator();

before(async () => {
  steps = readmeSession(readFileSync(`${ROOT}README.md`, 'utf8'));
  system = await startDelfin('all', t.env);
});

after(async () => {
  await system?.stop();
  const emulator = EMULATOR_LINE.exec(printed);
  if (emulator) {
    try {
      process.kill(Number(emulator[1]), 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(emulator[2]!, { recursive: true, force: true });
  }
  await t.cleanup();
});

interface BlockRun {
  stdout: string;
  stderr: string;
}

/**
 * Runs the blocks in one bash (so `SID=...` of one block is there for the next), `set -e` and
 * `pipefail` so a failing command stops it; a marker line between blocks splits the output.
 */
async function runInBash(blocks: readonly string[]): Promise<{ code: number | null; runs: BlockRun[]; all: string }> {
  const marker = (i: number) => `### readme block ${i} ###`;
  const script = ['set -eo pipefail', ...blocks.flatMap((b, i) => [`echo '${marker(i)}'; echo '${marker(i)}' >&2`, b])].join('\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DELFIN_URL: system.url,
    // npx as a person has it: node's own bin directory first; no npm update check in a test.
    PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
    npm_config_update_notifier: 'false',
  };
  delete env['DELFIN_TOKEN'];
  const proc = spawn('bash', ['-c', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', resolve);
  });
  const split = (text: string) => blocks.map((_, i) => {
    const start = text.indexOf(`${marker(i)}\n`);
    if (start < 0) return '';
    const from = start + marker(i).length + 1;
    const end = text.indexOf(`${marker(i + 1)}\n`, from);
    return text.slice(from, end < 0 ? undefined : end);
  });
  const outs = split(stdout);
  const errs = split(stderr);
  return { code, runs: blocks.map((_, i) => ({ stdout: outs[i]!, stderr: errs[i]! })), all: `stdout:\n${stdout}\nstderr:\n${stderr}` };
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z$/;

/** `key: value` lines, as `storage show` and `task show` print them. */
function fieldsOf(text: string): Array<[string, string]> {
  return lines(text).flatMap((l) => {
    const m = /^([a-z /]+):\s+(.*)$/.exec(l);
    return m ? [[m[1]!, m[2]!] as [string, string]] : [];
  });
}

/** The same keys in the same order; the same values but ids, times and the keys in `vary`. */
function assertFieldsAsShown(actualText: string, shownText: string, vary: readonly string[] = []): void {
  const shown = fieldsOf(shownText);
  const actual = fieldsOf(actualText);
  assert.ok(shown.length >= 5, `the README shows fields:\n${shownText}`);
  assert.deepEqual(actual.map(([k]) => k), shown.map(([k]) => k), `the fields the README shows:\n${actualText}`);
  shown.forEach(([key, value], i) => {
    if (vary.includes(key) || UUID.test(value) || TIMESTAMP.test(value)) return;
    assert.equal(actual[i]![1], value, `"${key}:" as the README shows it`);
  });
}

test('the README marks a first session of shell blocks, each followed by the output it shows', () => {
  assert.equal(steps.length, 5, 'five sh blocks in the first session: register, sync --watch, storage show, tasks, a Swordfish storage');
  for (const step of steps) assert.ok(step.shown !== undefined, `the README shows what this block prints:\n${step.command}`);
  // The session is self-contained: ids come from the commands, never pasted from the README.
  for (const step of steps) assert.doesNotMatch(step.command, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no literal id in a command');
});

test('the first session runs as written, in order, and prints what the README shows', async (ctx) => {
  if (noEmulator) ctx.diagnostic(`the Swordfish block is left out: ${noEmulator}`);
  const blocks = steps.map((s) => s.command).slice(0, noEmulator ? 4 : 5);
  const { code, runs, all } = await runInBash(blocks);
  printed = all;
  ctx.diagnostic(all);
  assert.equal(code, 0, `the README's first session failed:\n${all}`);

  // Block 1: the storage id captured into SID and echoed, as the README shows it.
  const [register, sync, show, taskBlock, swordfish] = runs as [BlockRun, BlockRun, BlockRun, BlockRun, BlockRun | undefined];
  const shownRegister = lines(steps[0]!.shown!);
  const registered = lines(register.stdout);
  assert.equal(registered.length, shownRegister.length, register.stdout);
  const sid = /^storage (\S+)$/.exec(registered[0]!)?.[1];
  assert.match(shownRegister[0]!, /^storage \S+$/);
  assert.ok(sid && UUID.test(sid), `a storage id: ${register.stdout}`);
  assert.equal(register.stderr.trim(), '', 'registration says nothing on stderr');

  // Block 2: the sync's events stream line by line (PROGRESS of the volume pages among them),
  // the end is SUCCEEDED at 100 %, then the SyncStats; the README shows lines of the same shapes.
  for (const line of lines(steps[1]!.shown!)) assert.ok(EVENT_LINE.test(line) || STATS_LINE.test(line), `README line of sync --watch: ${line}`);
  const synced = lines(sync.stdout);
  assert.match(synced.at(-1)!, STATS_LINE);
  const events = synced.slice(0, -1).map((line) => {
    const m = EVENT_LINE.exec(line);
    assert.ok(m, `an event line: ${line}\n${sync.stdout}`);
    return { type: m[1]!, percent: Number(m[2]), phase: m[3]! };
  });
  assert.equal(events.at(-1)!.type, 'SUCCEEDED');
  assert.equal(events.at(-1)!.percent, 100);
  assert.ok(events.filter((e) => e.type === 'PROGRESS' && e.phase === 'volumes').length >= 2, `live progress of the volume pages:\n${sync.stdout}`);
  assert.equal(sync.stderr.trim(), '');

  // Block 3: the storage, every field the README shows with the value it shows (ids and times
  // aside: they differ from run to run).
  assertFieldsAsShown(show.stdout, steps[2]!.shown!);
  assert.match(show.stdout, new RegExp(`^id:\\s+${sid}$`, 'm'));
  assert.equal(show.stderr.trim(), '');

  // Block 4: the task table (its header as shown), then one task id captured with --quiet and
  // shown. Which sync --watch followed (the first, or a second one) decides the counts, so those
  // are not compared.
  const shownTable = lines(steps[3]!.shown!);
  const table = lines(taskBlock.stdout);
  assert.equal(table[0], shownTable[0], 'the task table header');
  const rows = table.slice(1).filter((l) => /^\S{36}\s+SYNC_RESOURCES/.test(l));
  assert.ok(rows.length >= 1 && rows.length <= 2, taskBlock.stdout);
  assertFieldsAsShown(
    table.slice(1 + rows.length).join('\n'),
    shownTable.slice(1).filter((l) => !/^\S{36}\s/.test(l)).join('\n'),
    ['message', 'stats'],
  );
  assert.equal(taskBlock.stderr.trim(), '');

  if (swordfish) assertSwordfishBlock(swordfish, steps[4]!.shown!);
});

/**
 * Block 5: the emulator's start line, the Swordfish sync's stats line, then the storage list
 * with its header as shown: the simulator and the Swordfish storage, both synced.
 */
function assertSwordfishBlock(run: BlockRun, shownText: string): void {
  const shown = lines(shownText);
  const out = lines(run.stdout);
  assert.match(shown[0]!, EMULATOR_LINE);
  assert.match(out[0]!, EMULATOR_LINE, run.stdout);
  assert.match(shown[1]!, STATS_LINE);
  assert.match(out[1]!, STATS_LINE, run.stdout);
  assert.equal(out[2], shown[2], 'the storage list header');
  const listed = out.slice(3).map((l) => l.split(/\s{2,}/));
  assert.deepEqual(listed.map((c) => [c[1], c[2], c[3], c[4]]), [
    ['lab-array', 'fake_storage/fake_driver', 'NORMAL', 'SYNCED'],
    ['swordfish-lab', 'snia/swordfish', 'NORMAL', 'SYNCED'],
  ], run.stdout);
  assert.equal(out.length, shown.length, run.stdout);
}
