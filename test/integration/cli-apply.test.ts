// `delfin apply -f` against a real system (`delfin all`): a fleet declared in a YAML file is
// registered, re-applied without change, changed one entry at a time, planned with --dry-run,
// pruned, and a bad entry among good ones fails alone, naming its entry and field. Secrets come
// from the environment and from files, never from the YAML itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const t = testEnv('cliapply', { SCHEDULER_BACKEND: 'postgres' });
const dir = mkdtempSync(join(tmpdir(), 'delfin-apply-'));
const FILE = join(dir, 'arrays.yaml');
const SECRETS = { APPLY_TEST_PASSWORD: 'apply-s3cret' };
let system: DelfinProcess;

before(async () => {
  system = await startDelfin('all', t.env);
  writeFileSync(join(dir, 'community.txt'), 'traps-c0mmunity\n');
});

after(async () => {
  await system?.stop();
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function delfin(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DELFIN_URL: system.url, ...SECRETS };
  delete env['DELFIN_TOKEN'];
  const proc = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const rest = (host: string) => ({ host, port: 8443, username: 'admin', passwordFrom: { env: 'APPLY_TEST_PASSWORD' } });

/** The declared fleet: three arrays, each with a different set of parts. */
function fleet(overrides: { scheduleA?: number; volumesA?: number } = {}) {
  return [
    {
      name: 'apply-a',
      vendor: 'fake_storage',
      model: 'fake_driver',
      description: 'first array',
      rest: rest('10.90.0.1'),
      extraAttributes: { pools: 1, volumes: overrides.volumesA ?? 5 },
      syncSchedule: { intervalSeconds: overrides.scheduleA ?? 3600 },
      metricsConfig: { arrayPolling: { perfCollection: true, interval: 900 } },
    },
    {
      name: 'apply-b',
      vendor: 'fake_storage',
      model: 'fake_driver',
      rest: rest('10.90.0.2'),
      extraAttributes: { pools: 1, volumes: 5 },
      alertSource: { host: '10.90.0.2', version: 'V2C', communityFrom: { file: 'community.txt' } },
    },
    { name: 'apply-c', vendor: 'fake_storage', model: 'fake_driver', rest: rest('10.90.0.3'), extraAttributes: { pools: 1, volumes: 5 } },
  ];
}

const writeFleet = (storages: unknown[]) => writeFileSync(FILE, stringify({ storages }));

const STORAGES = `{ storages(first: 100) { edges { node { id name description
  accessInfo { extraAttributes } syncSchedule { enabled intervalSeconds } metricsConfig { arrayPolling { perfCollection interval } }
  alertSource { host version } } } } }`;

async function storagesByName(): Promise<Map<string, any>> {
  const { storages } = await gql(system.url, STORAGES);
  return new Map(storages.edges.map((e: any) => [e.node.name, e.node]));
}

const planLines = (out: string) => out.split('\n').filter((l) => /^ {2}[+~=!-] /.test(l)).map((l) => l.trim());

test('a dry run prints the plan and changes nothing', async () => {
  await gql(system.url, REGISTER, { input: fakeInput('10.90.1.1', { pools: 1, volumes: 3 }, 'registered-by-hand') });
  writeFleet(fleet());
  const run = await delfin(['apply', '-f', FILE, '--dry-run']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(planLines(run.stdout), [
    '+ create    "apply-a" (entry 1) (register, syncSchedule, metricsConfig)',
    '+ create    "apply-b" (entry 2) (register, alertSource)',
    '+ create    "apply-c" (entry 3) (register)',
  ]);
  assert.match(run.stdout, /Plan: 3 to create, 0 to update, 0 unchanged, 0 to delete, 0 with errors\.\nDry run: nothing was changed\./);
  assert.deepEqual([...(await storagesByName()).keys()], ['registered-by-hand']);
});

test('apply registers every entry with its parts; the plan is printed before what was done', async () => {
  const run = await delfin(['apply', '-f', FILE]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.indexOf('Plan:') < run.stdout.indexOf('Applied:'), run.stdout);
  assert.match(run.stdout, /Applied: 3 created, 0 updated, 0 unchanged, 0 deleted, 0 failed\./);
  const s = await storagesByName();
  assert.equal(s.size, 4);
  const a = s.get('apply-a');
  assert.equal(a.description, 'first array');
  assert.deepEqual(a.syncSchedule, { enabled: true, intervalSeconds: 3600 });
  assert.deepEqual(a.metricsConfig.arrayPolling, { perfCollection: true, interval: 900 });
  assert.deepEqual(s.get('apply-b').alertSource, { host: '10.90.0.2', version: 'V2C' });
  assert.equal(s.get('apply-c').syncSchedule?.intervalSeconds ?? null, null, 'a part not declared is not set');
});

test('applied again, nothing changes', async () => {
  const before = await storagesByName();
  const run = await delfin(['apply', '-f', FILE]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(planLines(run.stdout), ['= unchanged "apply-a" (entry 1)', '= unchanged "apply-b" (entry 2)', '= unchanged "apply-c" (entry 3)']);
  assert.match(run.stdout, /Nothing to change\./);
  assert.deepEqual([...(await storagesByName()).values()].map((x) => x.id), [...before.values()].map((x) => x.id));
});

test('one entry changed: only it is updated, only in the parts that differ', async () => {
  writeFleet(fleet({ scheduleA: 7200, volumesA: 6 }));
  const run = await delfin(['apply', '-f', FILE]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(planLines(run.stdout).slice(0, 3), [
    '~ update    "apply-a" (entry 1) (access, syncSchedule)',
    '= unchanged "apply-b" (entry 2)',
    '= unchanged "apply-c" (entry 3)',
  ]);
  assert.match(run.stdout, /Applied: 0 created, 1 updated, 2 unchanged, 0 deleted, 0 failed\./);
  const a = (await storagesByName()).get('apply-a');
  assert.deepEqual(a.syncSchedule, { enabled: true, intervalSeconds: 7200 });
  assert.deepEqual(a.accessInfo.extraAttributes, { pools: 1, volumes: 6 });
});

test('bad entries among good ones fail alone, each naming its entry and field', async () => {
  const good = fleet({ scheduleA: 7200, volumesA: 6 });
  writeFleet([
    ...good,
    { name: 'bad-port', vendor: 'fake_storage', model: 'fake_driver', rest: { ...rest('10.90.0.4'), port: 70000 } },
    { name: 'bad-secret', vendor: 'fake_storage', model: 'fake_driver', rest: { host: '10.90.0.5', port: 8443, username: 'admin', password: 'in-the-file' } },
    { name: 'bad-interval', vendor: 'fake_storage', model: 'fake_driver', rest: rest('10.90.0.6'), syncSchedule: { intervalSeconds: 5 } },
    { name: 'bad-env', vendor: 'fake_storage', model: 'fake_driver', rest: { ...rest('10.90.0.7'), passwordFrom: { env: 'APPLY_TEST_UNSET' } } },
    { name: 'apply-d', vendor: 'fake_storage', model: 'fake_driver', rest: rest('10.90.0.8'), extraAttributes: { pools: 1, volumes: 5 } },
    { name: 'twice', vendor: 'fake_storage', model: 'fake_driver', rest: rest('10.90.0.9') },
    { name: 'twice', vendor: 'fake_storage', model: 'fake_driver', rest: rest('10.90.0.10') },
  ]);
  // Three at a time: the entries go in several requests, their positions kept.
  const run = await delfin(['apply', '-f', FILE, '--batch', '3']);
  assert.equal(run.code, 1, run.stdout);
  const lines = planLines(run.stdout.slice(0, run.stdout.indexOf('Applied:')));
  assert.equal(lines[3], '! error     "bad-port" (entry 4): rest.port: Too big: expected number to be <=65535 (BAD_USER_INPUT)');
  assert.equal(lines[4], '! error     "bad-secret" (entry 5): rest.password: secrets are not written in the file; use passwordFrom: { env: NAME } or passwordFrom: { file: path } (BAD_USER_INPUT)');
  assert.match(lines[5]!, /^! error {5}"bad-interval" \(entry 6\): syncSchedule\.intervalSeconds: intervalSeconds must be between \d+ .* \(BAD_USER_INPUT\)$/);
  assert.equal(lines[6], '! error     "bad-env" (entry 7): rest.passwordFrom.env: the environment variable APPLY_TEST_UNSET is not set (BAD_USER_INPUT)');
  assert.equal(lines[7], '+ create    "apply-d" (entry 8) (register)');
  for (const [i, entry] of [[8, 9], [9, 10]]) {
    assert.equal(lines[i!], `! error     "twice" (entry ${entry}): name: the name is given to more than one entry (entries 9, 10); each entry names one storage (BAD_USER_INPUT)`);
  }
  assert.match(run.stdout, /Applied: 1 created, 0 updated, 3 unchanged, 0 deleted, 6 failed\./);
  assert.match(run.stderr, /delfin: 6 of 10 entries failed; the others were applied\. \(APPLY_FAILED\)/);
  const names = [...(await storagesByName()).keys()].sort();
  assert.deepEqual(names, ['apply-a', 'apply-b', 'apply-c', 'apply-d', 'registered-by-hand'], 'no bad entry left a storage behind');
});

test('--prune deletes the storages the file does not name (after a dry run that only plans it)', async () => {
  const [a, b] = fleet({ scheduleA: 7200, volumesA: 6 });
  writeFleet([a, b]);
  const plan = await delfin(['apply', '-f', FILE, '--prune', '--dry-run', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  const { plan: steps, applied } = JSON.parse(plan.stdout);
  assert.equal(applied, undefined);
  assert.deepEqual(
    steps.map((s: any) => `${s.action} ${s.name}`).sort(),
    ['DELETE apply-c', 'DELETE apply-d', 'DELETE registered-by-hand', 'UNCHANGED apply-a', 'UNCHANGED apply-b'],
  );
  assert.equal((await storagesByName()).size, 5, 'a dry run deletes nothing');

  const run = await delfin(['apply', '-f', FILE, '--prune']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Applied: 0 created, 0 updated, 2 unchanged, 3 deleted, 0 failed\./);
  const deadline = Date.now() + 30_000;
  while ((await storagesByName()).size > 2) {
    assert.ok(Date.now() < deadline, 'the pruned storages are removed');
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual([...(await storagesByName()).keys()].sort(), ['apply-a', 'apply-b']);
});
