// The operator CLI as an operator runs it: `node bin/delfin.js ...` child processes against a
// real system (`delfin all`), with DELFIN_URL pointing at it. Not on a terminal, so `--watch`
// prints one line per event.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { ProgressBar } from '../../src/cli/progress.js';
import { newId } from '../../src/lib/ids.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const PASSWORD = 'cli-s3cret-password';
const EVENT_LINE = /^(\S+) (QUEUED|SCHEDULED|STARTED|PROGRESS|SUCCEEDED|FAILED|CANCELLED)\s+(\d+)% (\S+)(?: (.*))?$/;
const STATS_LINE = /^synced in [\d.]+ s: pools (\d+) added, (\d+) updated, (\d+) deleted; volumes (\d+) added, (\d+) updated, (\d+) deleted$/;
const PHASES = ['storage', 'pools', 'volumes', 'cleanup'];

const t = testEnv('cli');
let system: DelfinProcess;
let storageId: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `delfin <args>` to its end (stdin: `input`, or nothing). */
function delfin(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DELFIN_URL: system.url, ...options.env };
  delete env['DELFIN_TOKEN'];
  const proc = spawn(process.execPath, [BIN, ...args], { env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  if (options.input !== undefined) proc.stdin!.end(options.input);
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `delfin <args> --json`, which must succeed; its output parsed. */
async function delfinJson(args: string[]): Promise<any> {
  const run = await delfin([...args, '--json']);
  assert.equal(run.code, 0, `delfin ${args.join(' ')} --json: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function waitForTaskEnd(taskId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { task } = await delfinJson(['task', 'show', taskId]);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} did not end: ${JSON.stringify(task)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  system = await startDelfin('all', t.env);
});

after(async () => {
  await system?.stop();
  await t.cleanup();
});

test('storage register (password on stdin) registers a simulated array; storage list --json shows it', async () => {
  const run = await delfin(
    [
      'storage', 'register', '--vendor', 'fake_storage', '--model', 'fake_driver', '--host', '10.9.0.1', '--port', '8443',
      '--username', 'admin', '--password-stdin', '--name', 'cli-array', '--extra', '{"volumes": 2000, "pageSize": 500, "latencyMs": 50}',
    ],
    { input: `${PASSWORD}\n` },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  const id = /^id:\s+(\S+)$/m.exec(run.stdout)?.[1];
  assert.ok(id, run.stdout);
  storageId = id;
  assert.match(run.stdout, /^name:\s+cli-array$/m);
  assert.match(run.stdout, /^rest access:\s+admin@10\.9\.0\.1:8443$/m);
  assert.ok(!run.stdout.includes(PASSWORD), 'the password is never printed');

  const { storages } = await delfinJson(['storage', 'list']);
  assert.equal(storages.totalCount, 1);
  assert.equal(storages.edges[0].node.id, storageId);
  assert.equal(storages.edges[0].node.name, 'cli-array');
  assert.equal(storages.edges[0].node.vendor, 'fake_storage');

  const table = await delfin(['storage', 'list', '--name-contains', 'cli-']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^ID\s+NAME\s+VENDOR\/MODEL/);
  assert.ok(table.stdout.includes(storageId));
  assert.equal((await delfinJson(['storage', 'list', '--name-contains', 'nothing-like-it'])).storages.totalCount, 0);

  // The first sync, queued by the registration: `tasks` lists it; it ends.
  const { tasks } = await delfinJson(['tasks', '--storage', storageId]);
  assert.equal(tasks.totalCount, 1);
  assert.equal(tasks.edges[0].node.kind, 'SYNC_RESOURCES');
  const first = await waitForTaskEnd(tasks.edges[0].node.id);
  assert.equal(first.status, 'SUCCEEDED');
  assert.equal(first.stats.volumesAdded, 2000);
});

test('sync --watch prints one line per event, in order, then the SyncStats; exit 0', async () => {
  const run = await delfin(['sync', storageId, '--watch']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  const lines = run.stdout.trimEnd().split('\n');
  const events = lines.slice(0, -1).map((line) => {
    const m = EVENT_LINE.exec(line);
    assert.ok(m, `an event line: ${line}`);
    return { at: Date.parse(m[1]!), type: m[2]!, percent: Number(m[3]), phase: m[4]!, message: m[5] ?? '' };
  });
  assert.equal(events[0]!.type, 'QUEUED', 'the state the mutation answered with comes first');
  assert.equal(events.at(-1)!.type, 'SUCCEEDED');
  assert.equal(events.at(-1)!.percent, 100);
  assert.ok(events.some((e) => e.type === 'PROGRESS'), `progress lines: ${run.stdout}`);
  for (let i = 1; i < events.length; i++) {
    const [prev, cur] = [events[i - 1]!, events[i]!];
    assert.ok(cur.at >= prev.at, `events in time order: ${run.stdout}`);
    assert.ok(cur.percent >= prev.percent, `progress never goes back: ${run.stdout}`);
    if (PHASES.includes(prev.phase) && PHASES.includes(cur.phase)) assert.ok(PHASES.indexOf(cur.phase) >= PHASES.indexOf(prev.phase), `phases in order: ${run.stdout}`);
  }

  const stats = STATS_LINE.exec(lines.at(-1)!);
  assert.ok(stats, `the last line is the SyncStats: ${lines.at(-1)}`);
  // The same counts as the task's SyncStats (a resync of an unchanged array: nothing to write).
  const { tasks } = await delfinJson(['tasks', '--storage', storageId, '--first', '1']);
  const task = tasks.edges[0].node;
  assert.equal(task.status, 'SUCCEEDED');
  const s = task.stats;
  assert.deepEqual(stats.slice(1).map(Number), [s.poolsAdded, s.poolsUpdated, s.poolsDeleted, s.volumesAdded, s.volumesUpdated, s.volumesDeleted]);
  assert.deepEqual(stats.slice(1).map(Number), [0, 0, 0, 0, 0, 0]);

  // task show, for people.
  const show = await delfin(['task', 'show', task.id]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^status:\s+SUCCEEDED$/m);
  assert.match(show.stdout, /^stats:\s+pools 0 added, 0 updated, 0 deleted; volumes 0 added, 0 updated, 0 deleted$/m);
});

test('--json: one document that parses; with --watch one JSON event per line', async () => {
  const { storage } = await delfinJson(['storage', 'show', storageId]);
  assert.equal(storage.id, storageId);
  assert.equal(storage.syncState, 'SYNCED');
  assert.equal(storage.pools.totalCount, 10);
  assert.equal(storage.volumes.totalCount, 2000);
  assert.deepEqual(storage.accessInfo.rest, { host: '10.9.0.1', port: 8443, username: 'admin' });

  const human = await delfin(['storage', 'show', storageId]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^pools:\s+10$/m);
  assert.match(human.stdout, /^volumes:\s+2000$/m);
  assert.match(human.stdout, /^rest access:\s+admin@10\.9\.0\.1:8443$/m);
  assert.ok(!human.stdout.includes(PASSWORD) && !JSON.stringify(storage).includes(PASSWORD), 'no password shown');

  const succeeded = await delfinJson(['tasks', '--storage', storageId, '--status', 'SUCCEEDED', 'failed']);
  assert.equal(succeeded.tasks.totalCount, 2);
  assert.ok(succeeded.tasks.edges.every((e: any) => e.node.status === 'SUCCEEDED'));

  const watch = await delfin(['sync', storageId, '--priority', 'high', '--watch', '--json']);
  assert.equal(watch.code, 0, watch.stderr);
  const events = watch.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.ok(events.length >= 2);
  assert.ok(events.every((e) => e.task.storageId === storageId && e.task.priority === 'HIGH' && typeof e.at === 'string'));
  assert.equal(events[0].type, 'QUEUED');
  assert.equal(events.at(-1).type, 'SUCCEEDED');
  assert.deepEqual(Object.keys(events.at(-1).task.stats).sort(), [
    'controllersAdded', 'controllersDeleted', 'controllersUpdated', 'disksAdded', 'disksDeleted', 'disksUpdated',
    'poolsAdded', 'poolsDeleted', 'poolsUpdated', 'portsAdded', 'portsDeleted', 'portsUpdated',
    'volumesAdded', 'volumesDeleted', 'volumesUpdated',
  ]);

  const all = await delfinJson(['sync', '--all']);
  assert.equal(all.syncAllStorages.length, 1);
  assert.equal(all.syncAllStorages[0].storageId, storageId);
  await waitForTaskEnd(all.syncAllStorages[0].id);
});

test('--quiet prints only ids, one per line, for `SID=$(delfin ... --quiet)`; with --watch it is a usage error', async () => {
  const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const quiet = async (args: string[]) => {
    const run = await delfin([...args, '--quiet']);
    assert.equal(run.code, 0, `delfin ${args.join(' ')} --quiet: ${run.stderr}`);
    assert.equal(run.stderr, '');
    return run.stdout.split('\n').slice(0, -1);
  };
  assert.deepEqual(await quiet(['storage', 'list']), [storageId]);

  const [taskId, ...more] = await quiet(['sync', storageId]);
  assert.deepEqual(more, []);
  assert.match(taskId!, ID);
  assert.equal((await waitForTaskEnd(taskId!)).storageId, storageId, 'the id printed is the sync of that storage');
  const all = await quiet(['sync', '--all']);
  assert.equal(all.length, 1);
  await waitForTaskEnd(all[0]!);

  const ids = await quiet(['tasks', '--storage', storageId, '--first', '2']);
  assert.deepEqual(ids, [all[0], taskId], 'newest first');

  const both = await delfin(['sync', storageId, '--watch', '-q']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /^error: option '-q, --quiet' cannot be used with option '--watch'/);
});

test('schedule set --interval / --cron / --disable: the periodic sync through setSyncSchedule; --json; refusals', async () => {
  const every = await delfinJson(['schedule', 'set', storageId, '--interval', '3600']);
  assert.equal(every.setSyncSchedule.storageId, storageId);
  assert.equal(every.setSyncSchedule.enabled, true);
  assert.equal(every.setSyncSchedule.intervalSeconds, 3600);
  assert.equal(every.setSyncSchedule.cron, null);
  assert.ok(Date.parse(every.setSyncSchedule.nextRunAt) > Date.now(), 'the next run is to come');

  const cron = await delfin(['schedule', 'set', storageId, '--cron', '0 */6 * * *']);
  assert.equal(cron.code, 0, cron.stderr);
  assert.match(cron.stdout, /^schedule:\s+cron "0 \*\/6 \* \* \*"$/m);
  assert.match(cron.stdout, /^next run:\s+\S+$/m);

  const off = await delfinJson(['schedule', 'set', storageId, '--disable']);
  assert.equal(off.setSyncSchedule.enabled, false);
  assert.equal(off.setSyncSchedule.cron, '0 */6 * * *', 'disabling keeps the schedule it had');
  const offText = await delfin(['schedule', 'set', storageId, '--disable']);
  assert.match(offText.stdout, /^schedule:\s+disabled \(was cron "0 \*\/6 \* \* \*"\)$/m);

  // Refused by the API: its sentence and code, exit 1.
  const tooOften = await delfin(['schedule', 'set', storageId, '--interval', '5']);
  assert.equal(tooOften.code, 1);
  assert.match(tooOften.stderr, /^delfin: .*minimum.* \(BAD_USER_INPUT\)\n$/);
  const badCron = await delfin(['schedule', 'set', storageId, '--cron', 'not a cron']);
  assert.equal(badCron.code, 1);
  assert.match(badCron.stderr, /\(BAD_USER_INPUT\)\n$/);
  const unknown = await delfin(['schedule', 'set', newId(), '--interval', '3600']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /\(NOT_FOUND\)\n$/);

  // Usage errors, before any request: none or two of the three, a bad number.
  for (const args of [[], ['--interval', '60', '--cron', '* * * * *'], ['--interval', '60', '--disable'], ['--interval', 'soon']]) {
    const run = await delfin(['schedule', 'set', storageId, ...args]);
    assert.equal(run.code, 2, `schedule set ${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /error: /);
  }
});

test('errors: `delfin: <message> (<code>)` on stderr, exit 1; usage errors exit 2', async () => {
  const missing = newId();
  for (const args of [['storage', 'show', missing], ['task', 'show', missing], ['sync', missing], ['storage', 'delete', missing]]) {
    const run = await delfin(args);
    assert.equal(run.code, 1, `delfin ${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /^delfin: .+ \(NOT_FOUND\)\n$/, `delfin ${args.join(' ')}`);
    assert.ok(run.stderr.includes(missing));
    assert.equal(run.stdout, '');
  }

  // A task that ended cannot be cancelled.
  const { tasks } = await delfinJson(['tasks', '--storage', storageId, '--status', 'SUCCEEDED', '--first', '1']);
  const cancel = await delfin(['task', 'cancel', tasks.edges[0].node.id]);
  assert.equal(cancel.code, 1);
  assert.match(cancel.stderr, /^delfin: .+ \(CONFLICT\)\n$/);

  // A refused registration: the array is registered already (same serial number).
  const again = await delfin(['storage', 'register', '--vendor', 'fake_storage', '--model', 'fake_driver', '--host', '10.9.0.1', '--port', '8443', '--username', 'admin', '--password', 'x']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^delfin: .+ \(CONFLICT\)\n$/);

  const unreachable = await delfin(['storage', 'list', '--url', 'http://127.0.0.1:1/graphql']);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /^delfin: cannot reach the delfin API at http:\/\/127\.0\.0\.1:1\/graphql: .+ \(UNREACHABLE\)\n$/);

  for (const args of [
    ['sync'],
    ['sync', storageId, '--all'],
    ['sync', storageId, '--priority', 'URGENT'],
    ['storage', 'show'],
    ['storage', 'register', '--vendor', 'fake_storage'],
    ['storage', 'register', '--vendor', 'v', '--model', 'm', '--host', 'h', '--port', '1', '--username', 'u'],
    ['storage', 'register', '--vendor', 'v', '--model', 'm', '--host', 'h', '--port', '1', '--username', 'u', '--password', 'p', '--extra', '{not json'],
    ['storage', 'register', '--vendor', 'v', '--model', 'm', '--host', 'h', '--port', '1', '--username', 'u', '--password', 'p', '--ca-certificate', '/nonexistent/ca.pem'],
    ['tasks', '--status', 'DONE'],
    ['tasks', '--first', 'many'],
  ]) {
    const run = await delfin(args);
    assert.equal(run.code, 2, `delfin ${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /^error: /, `delfin ${args.join(' ')}`);
  }
});

test('storage delete --watch follows the removal; the storage is gone', async () => {
  const run = await delfin(['storage', 'delete', storageId, '--watch']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines.at(-2)!, EVENT_LINE);
  assert.match(lines.at(-2)!, / SUCCEEDED 100% /);
  assert.match(lines.at(-1)!, /^done in [\d.]+ s/);
  const show = await delfin(['storage', 'show', storageId]);
  assert.equal(show.code, 1);
  assert.match(show.stderr, /\(NOT_FOUND\)\n$/);
  assert.equal((await delfinJson(['storage', 'list'])).storages.totalCount, 0);
});

test('a sync that FAILED or was CANCELLED: --watch ends with the error on stderr and exit 1', async () => {
  const register = async (host: string, extra: Record<string, unknown>) => {
    const { registerStorage } = await delfinJson([
      'storage', 'register', '--vendor', 'fake_storage', '--model', 'fake_driver', '--host', host, '--port', '8443',
      '--username', 'admin', '--password', PASSWORD, '--extra', JSON.stringify(extra),
    ]);
    return registerStorage.id as string;
  };

  // A driver error: the sync ends FAILED (not retried).
  const failing = await register('10.9.0.2', { volumes: 100, failAt: 'volumes' });
  const failed = await delfin(['sync', failing, '--watch']);
  assert.equal(failed.code, 1, failed.stdout + failed.stderr);
  assert.match(failed.stdout.trimEnd().split('\n').at(-1)!, / FAILED .* error: .*injected failure/);
  assert.match(failed.stderr, /^delfin: task \S+ \(SYNC_RESOURCES of storage \S+\) failed: .*injected failure.* \(TASK_FAILED\)\n$/);

  // A long sync (50 pages, 20 s), cancelled from another `delfin` while one watches it: long
  // enough for two more `delfin` processes to start on a loaded machine before it ends.
  const slow = await register('10.9.0.3', { volumes: 5000, pageSize: 100, latencyMs: 400 });
  const env: NodeJS.ProcessEnv = { ...process.env, DELFIN_URL: system.url };
  const watcher = spawn(process.execPath, [BIN, 'sync', slow, '--watch'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  watcher.stdout!.on('data', (d) => (out += d));
  watcher.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => watcher.on('close', resolve));
  try {
    const deadline = Date.now() + 30_000;
    while (!/ PROGRESS .* volumes \d+ of 5000 volumes/.test(out)) {
      assert.ok(Date.now() < deadline, `no volume progress: ${out}${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const { tasks } = await delfinJson(['tasks', '--storage', slow, '--status', 'RUNNING']);
    assert.equal(tasks.totalCount, 1);
    const cancel = await delfin(['task', 'cancel', tasks.edges[0].node.id]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, /^task \S+ (cancelled|is RUNNING: it stops at its next step)/);
    assert.equal(await exited, 1, out + err);
  } finally {
    if (watcher.exitCode === null) watcher.kill();
  }
  assert.match(out.trimEnd().split('\n').at(-1)!, / CANCELLED /);
  assert.match(err, /^delfin: task \S+ \(SYNC_RESOURCES of storage \S+\) was cancelled.* \(TASK_CANCELLED\)\n$/);
});

test('the progress bar redraws one line on a terminal, and prints lines elsewhere', () => {
  let tty = '';
  const bar = new ProgressBar({ write: (s: string) => (tty += s), isTTY: true, columns: 80 });
  bar.update(0.5, 'volumes 1000 of 2000 volumes', 'unused');
  bar.update(1, 'cleanup done', 'unused');
  bar.end();
  const frames = tty.split('\r\x1b[2K').filter(Boolean);
  assert.equal(frames.length, 2);
  assert.match(frames[0]!, /^\[█{12}░{12}\]  50% volumes 1000 of 2000 volumes$/);
  assert.match(frames[1]!, /^\[█{24}\] 100% cleanup done\n$/);
  assert.ok(tty.split('\n').length === 2, 'one line on the terminal');

  let pipe = '';
  const lines = new ProgressBar({ write: (s: string) => (pipe += s), isTTY: false });
  lines.update(0.5, 'unused', 'line one');
  lines.update(1, 'unused', 'line two');
  lines.end();
  assert.equal(pipe, 'line one\nline two\n');
});

test('metrics-config get shows the polling of each resource type; set changes only what it names', async () => {
  const { registerStorage } = await delfinJson(['storage', 'register', '--vendor', 'fake_storage', '--model', 'fake_driver', '--host', '10.9.0.77', '--port', '8443', '--username', 'admin', '--password', PASSWORD]);
  const storageId = registerStorage.id as string;
  const shown = await delfin(['metrics-config', 'get', storageId]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^RESOURCE\s+COLLECTION\s+INTERVAL\s+HISTORIC$/m);
  assert.match(shown.stdout, /^array\s+on\s+900s\s+no$/m);
  assert.match(shown.stdout, /^volume\s+off\s+900s\s+no$/m);

  const set = await delfin(['metrics-config', 'set', storageId, 'volume,pool', '--on', '--interval', '600', '--historic']);
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /^volume\s+on\s+600s\s+yes$/m);
  const { metricsConfig } = await delfinJson(['metrics-config', 'get', storageId]);
  assert.deepEqual(metricsConfig.poolPolling, { perfCollection: true, interval: 600, isHistoric: true });
  assert.deepEqual(metricsConfig.arrayPolling, { perfCollection: true, interval: 900, isHistoric: false }, 'the array is left as it was');
  const hardware = await delfin(['metrics-config', 'set', storageId, 'disk,port', '--on', '--interval', '600']);
  assert.equal(hardware.code, 0, hardware.stderr);
  assert.match(hardware.stdout, /^disk\s+on\s+600s\s+no$/m);
  assert.match(hardware.stdout, /^controller\s+off\s+900s\s+no$/m);
  assert.match(hardware.stdout, /^port\s+on\s+600s\s+no$/m);

  const tooShort = await delfin(['metrics-config', 'set', storageId, 'array', '--interval', '5']);
  assert.equal(tooShort.code, 1);
  assert.match(tooShort.stderr, /^delfin: arrayPolling\.interval must be between 300 and 86400 seconds; got 5\. \(BAD_USER_INPUT\)\n$/);
  const usage = await delfin(['metrics-config', 'set', storageId, 'disks', '--on']);
  assert.equal(usage.code, 2);
  await delfin(['storage', 'delete', storageId]);
});
