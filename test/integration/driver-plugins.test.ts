// Drivers as plugins: a driver package written outside this repository is named in
// DELFIN_DRIVERS (or the policy file's drivers.packages), loaded at start by every role, used
// like a built-in driver, and checked by the conformance kit (`delfin driver check`). A package
// that cannot be used stops start-up with one line naming it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { REGISTER, STORAGE } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { firstTaskOf } from '../support/tasks.js';
import { policyFile } from '../support/policy-file.js';
import { EMULATOR_PASSWORD, EMULATOR_USER, skipWithoutEmulator, startEmulator } from '../support/swordfish.js';
import { ACME_DRIVER, BAD_DRIVER, packageDir, type PackageDir } from '../support/driver-packages.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let pkgs: PackageDir;
let localDriver: string;

before(() => {
  pkgs = packageDir();
  pkgs.write('acme-delfin-driver', ACME_DRIVER);
  pkgs.write('bad-delfin-driver', BAD_DRIVER);
  pkgs.write('throws-delfin-driver', `throw new Error('libacme.so is not installed');\n`);
  pkgs.write('shapeless-delfin-driver', `export default { vendor: 'shapeless', model: 's1' };\n`);
  pkgs.write('clashing-delfin-driver', `export default { vendor: 'fake_storage', model: 'fake_driver', create() { return {}; } };\n`);
  // A package under development, named by its path, exporting a list under the name `drivers`.
  localDriver = pkgs.write(
    'local/beta-driver',
    `import acme from 'acme-delfin-driver';\n` +
      `export const drivers = [{ ...acme, vendor: 'beta', model: 'b1', description: undefined, accessTypes: undefined }, { ...acme, vendor: 'beta', model: 'b2', accessTypes: ['REST', 'SSH'] }];\n`,
  );
});

after(() => pkgs.remove());

/** The environment that makes the packages findable, as NODE_PATH would in a deployment. */
function pluginEnv(base: NodeJS.ProcessEnv, drivers: string): NodeJS.ProcessEnv {
  return { ...base, NODE_PATH: pkgs.nodeModules, DELFIN_DRIVERS: drivers };
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stderr.trim().split('\n').filter((l) => l.startsWith('delfin:')) };
}

describe('a running delfin with driver packages', () => {
  const t = testEnv('plugins');
  let delfin: DelfinProcess;

  before(async () => {
    const env = pluginEnv(t.env, 'acme-delfin-driver');
    delfin = await startDelfin('all', { ...env, DELFIN_CONFIG: policyFile({ drivers: { packages: [localDriver] } }) });
  });

  after(async () => {
    await delfin.stop();
    await t.cleanup();
  });

  test('the drivers query lists the built-in and the packages\' drivers, with what each provides', async () => {
    const { drivers } = await gql(delfin.url, '{ drivers { vendor model description accessTypes resources } }');
    assert.deepEqual(
      drivers.map((d: any) => `${d.vendor}/${d.model}`),
      ['acme/a1', 'beta/b1', 'beta/b2', 'fake_storage/fake_driver', 'snia/swordfish'],
    );
    const by = Object.fromEntries(drivers.map((d: any) => [`${d.vendor}/${d.model}`, d]));
    assert.deepEqual(by['acme/a1'], {
      vendor: 'acme', model: 'a1', description: 'Acme A1 arrays (a test plugin)', accessTypes: ['REST'], resources: ['STORAGE', 'STORAGE_POOL', 'VOLUME'],
    });
    // What a plugin leaves out gets the defaults.
    assert.deepEqual(by['beta/b1'], { vendor: 'beta', model: 'b1', description: null, accessTypes: ['REST'], resources: ['STORAGE', 'STORAGE_POOL', 'VOLUME'] });
    assert.deepEqual(by['beta/b2'].accessTypes, ['REST', 'SSH']);
    assert.match(by['fake_storage/fake_driver'].description, /simulator/);
    // Both built-in drivers list disks, controllers and ports too.
    assert.deepEqual(by['snia/swordfish'].resources, ['STORAGE', 'STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT']);
    assert.deepEqual(by['fake_storage/fake_driver'].resources, ['STORAGE', 'STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT']);
  });

  test('a storage registered with a plugin driver syncs its pools and volumes; its capabilities come from the driver', async () => {
    const input = { vendor: 'acme', model: 'a1', rest: { host: '10.77.0.1', port: 443, username: 'admin', password: 'secret' } };
    const { registerStorage: s } = await gql(delfin.url, REGISTER, { input });
    assert.equal(s.serialNumber, 'ACME-10.77.0.1');
    assert.equal(s.totalCapacity, String(300n * 1024n ** 3n));
    const task = await waitForTask(delfin.url, (await firstTaskOf(delfin.url, s.id)).id);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual({ pools: task.stats.poolsAdded, volumes: task.stats.volumesAdded }, { pools: 2, volumes: 5 });

    const { storage } = await gql(delfin.url, STORAGE, { id: s.id, first: 10 });
    assert.deepEqual(storage.pools.edges.map((e: any) => e.node.nativeStoragePoolId).sort(), ['p1', 'p2']);
    const volumes = Object.fromEntries(storage.volumes.edges.map((e: any) => [e.node.nativeVolumeId, e.node.pool?.nativeStoragePoolId ?? null]));
    assert.deepEqual(volumes, { v1: 'p1', v2: 'p1', v3: 'p2', v4: 'p2', v5: null });

    const { storage: c } = await gql(delfin.url, 'query($id: ID!) { storage(id: $id) { capabilities { resources metrics { resourceType metrics } alerts clearAlert } } }', { id: s.id });
    assert.deepEqual(c.capabilities, {
      resources: ['STORAGE', 'STORAGE_POOL', 'VOLUME'],
      metrics: [{ resourceType: 'STORAGE', metrics: ['iops'] }],
      alerts: false,
      clearAlert: false,
    });
  });
});

describe('a driver package that cannot be used stops start-up with one line', () => {
  const t = testEnv('plugins_bad');
  after(() => t.cleanup());

  const cases: Array<[string, string, RegExp]> = [
    ['missing', 'no-such-delfin-driver', /^delfin: driver package "no-such-delfin-driver" was not found \(looked in .*NODE_PATH.*\); install it \(npm install no-such-delfin-driver\)/],
    ['missing path', './nowhere/driver.js', /^delfin: driver package "\.\/nowhere\/driver\.js" was not found: no such file or folder/],
    ['throws on import', 'throws-delfin-driver', /^delfin: driver package "throws-delfin-driver" failed to load: libacme\.so is not installed$/],
    ['wrong shape', 'shapeless-delfin-driver', /^delfin: driver package "shapeless-delfin-driver" does not export a driver descriptor: shapeless\/s1: "create" must be a function/],
    ['clash', 'acme-delfin-driver,clashing-delfin-driver', /^delfin: driver package "clashing-delfin-driver" provides vendor "fake_storage" model "fake_driver", already provided by delfin-ts's built-in drivers/],
  ];
  for (const [what, drivers, expected] of cases) {
    test(`${what}: every role refuses to start`, () => {
      // Before any service is opened: no NATS or PostgreSQL is needed to see the refusal.
      const env = { ...pluginEnv(t.env, drivers), NATS_URL: 'nats://127.0.0.1:1' };
      for (const role of what === 'missing' ? ['api', 'worker', 'scheduler', 'all'] : ['all']) {
        const r = run([role], env);
        assert.equal(r.code, 1, `${role}: ${r.stderr}`);
        assert.equal(r.lines.length, 1, r.stderr);
        assert.match(r.lines[0]!, expected);
      }
    });
  }

  test('the same package named in the policy file is refused the same way', () => {
    const env = { ...pluginEnv(t.env, ''), DELFIN_CONFIG: policyFile({ drivers: { packages: ['throws-delfin-driver'] } }) };
    const r = run(['worker'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.lines[0] ?? '', /driver package "throws-delfin-driver" failed to load/);
  });
});

describe('delfin driver check (the conformance kit)', () => {
  const t = testEnv('plugins_kit');
  after(() => t.cleanup());

  test('a plugin driver passes: exit 0 and a readable report', () => {
    const r = run(['driver', 'check', '--vendor', 'acme', '--model', 'a1', '--rest', 'admin@10.77.0.2:443', '--timeout', '5'], pluginEnv(t.env, 'acme-delfin-driver'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^driver conformance: acme \/ a1$/m);
    assert.match(r.stdout, /ok {4}getStorage: acme a1 serial ACME-10\.77\.0\.2/);
    assert.match(r.stdout, /ok {4}listVolumes: 5 volumes in 2 pages/);
    assert.match(r.stdout, /ok {4}stable paging/);
    assert.match(r.stdout, /skip {2}listDisks: the driver does not list them/);
    assert.match(r.stdout, /^passed: \d+ checks ran, none failed$/m);
  });

  test('the simulator passes too; --json gives the report as one document', () => {
    const args = ['driver', 'check', '--vendor', 'fake_storage', '--model', 'fake_driver', '--rest', 'admin@10.77.0.3:8443', '--extra', '{"volumes": 1200, "pageSize": 500}'];
    const r = run(args, t.env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /ok {4}listVolumes: 1200 volumes in 3 pages/);
    const json = run([...args, '--json'], t.env);
    const report = JSON.parse(json.stdout);
    assert.equal(report.passed, true);
    assert.ok(report.checks.some((c: any) => c.name === 'stable paging' && c.problems.length === 0));
  });

  test('a driver that breaks the rules fails the kit, each problem named', () => {
    const r = run(['driver', 'check', '--vendor', 'bad', '--model', 'b1', '--rest', 'admin@10.77.0.4:443', '--timeout', '1'], pluginEnv(t.env, 'bad-delfin-driver'));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL {2}listPools/);
    assert.match(r.stdout, /pool native ids are not unique: "p1" listed more than once/);
    assert.match(r.stdout, /pool "p1": used capacity \d+ is more than total \d+/);
    assert.match(r.stdout, /1 volume\(s\) name a pool that listPools does not return: "ghost-pool"/);
    assert.match(r.stdout, /paging is not stable: two listings differ at volume 1 \("v1" then "v2"\)/);
    assert.match(r.stdout, /capabilities did not answer within its timeout of 1000 ms/);
    assert.match(r.stdout, /^FAILED: \d+ of \d+ checks failed$/m);
  });

  test("a driver package's own tests import the kit (and, in TypeScript, the types) from delfin-ts/driver", () => {
    const dir = join(pkgs.nodeModules, 'acme-delfin-driver');
    writeFileSync(
      join(dir, 'own-test.js'),
      `import { checkDriver, formatReport } from 'delfin-ts/driver';\n` +
        `import acme from './index.js';\n` +
        `const report = await checkDriver(acme, { rest: { host: '10.1.1.1', port: 1, username: 'u', password: 'p' } }, { timeoutMs: 2000 });\n` +
        `process.stdout.write(formatReport(report));\n` +
        `process.exit(report.passed ? 0 : 1);\n`,
    );
    const own = spawnSync(process.execPath, [join(dir, 'own-test.js')], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(own.status, 0, own.stdout + own.stderr);
    assert.match(own.stdout, /^passed: /m);

    // A driver written in TypeScript type-checks against the published declarations.
    writeFileSync(
      join(dir, 'typed.ts'),
      `import { DriverError, type DriverDescriptor, type StorageDriver } from 'delfin-ts/driver';\n` +
        `export const ok: DriverDescriptor = { vendor: 'a', model: 'b', accessTypes: ['SSH'], create: (): StorageDriver => { throw new DriverError('x'); } };\n` +
        `export const wrong: DriverDescriptor = { vendor: 'a', model: 'b', accessTypes: ['HTTP'], create: () => { throw new Error(); } };\n`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, types: [] }, files: ['typed.ts'] }));
    const tsc = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    // Exactly one error: the access type that does not exist; the rest resolved and checked.
    const errors = tsc.stdout.trim().split('\n');
    assert.equal(errors.length, 1, tsc.stdout + tsc.stderr);
    assert.match(errors[0]!, /^typed\.ts\(3,\d+\): error TS2322: Type '"HTTP"' is not assignable to type 'AccessType'\.$/);
  });

  test('the Swordfish driver passes against the SNIA emulator, disks, controllers and ports included', { skip: skipWithoutEmulator() }, async () => {
    const emu = await startEmulator();
    try {
      const args = ['driver', 'check', '--vendor', 'snia', '--model', 'swordfish', '--rest', `${EMULATOR_USER}@${emu.host}:${emu.port}`, '--password-stdin', '--ca-certificate', emu.certPath, '--extra', JSON.stringify({ storage: '/redfish/v1/Storage/IPAttachedDrive1' })];
      const r = spawnSync(process.execPath, [BIN, ...args], { env: t.env, input: EMULATOR_PASSWORD, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      for (const call of ['listDisks', 'listControllers', 'listPorts']) assert.match(r.stdout, new RegExp(`ok {4}${call}: `));
      assert.match(r.stdout, /collectPerfMetrics\(VOLUME\): .*cumulative counters: two readings/);
    } finally {
      await emu.destroy();
    }
  });

  test('an unknown vendor/model names the installed drivers; missing access is a usage error', () => {
    const r = run(['driver', 'check', '--vendor', 'acme', '--model', 'zz', '--rest', 'a@h:1'], pluginEnv(t.env, 'acme-delfin-driver'));
    assert.equal(r.code, 1);
    assert.match(r.lines[0] ?? '', /no driver for vendor "acme" model "zz" \(installed: acme\/a1, fake_storage\/fake_driver, snia\/swordfish\)/);
    assert.equal(run(['driver', 'check', '--vendor', 'acme', '--model', 'a1'], t.env).code, 2);
  });
});
