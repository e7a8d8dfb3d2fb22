// Loading driver packages: what counts as a descriptor, where a package name is looked for,
// and the one-line refusals (the integration test sees them end a real start-up).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { descriptorProblem, summarize } from '../../src/drivers/descriptor-shape.js';
import { loadDriverRegistry } from '../../src/drivers/plugins.js';
import { DriverPluginError } from '../../src/drivers/plugin-error.js';
import { resolvePlugin } from '../../src/drivers/plugin-resolve.js';
import { parseDriverList } from '../../src/lib/driver-list.js';

const root = mkdtempSync(join(tmpdir(), 'delfin-plugin-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));

function writePackage(base: string, name: string, pkg: Record<string, unknown>, files: Record<string, string>): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', ...pkg }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const descriptorJs = (vendor: string, model: string) => `export default { vendor: '${vendor}', model: '${model}', create() { return {}; } };\n`;

describe('descriptorProblem', () => {
  test('accepts vendor, model, create and the optional description, accessTypes, resources', () => {
    const create = () => ({}) as never;
    assert.equal(descriptorProblem({ vendor: 'a', model: 'b', create }), undefined);
    assert.equal(descriptorProblem({ vendor: 'a', model: 'b', create, description: 'x', accessTypes: ['SSH'], resources: ['STORAGE', 'DISK'] }), undefined);
  });

  test('names what is wrong', () => {
    const create = () => ({}) as never;
    assert.match(descriptorProblem(undefined)!, /expected an object with vendor, model and create, got undefined/);
    assert.match(descriptorProblem({ vendor: '', model: 'b', create })!, /"vendor" must be a non-empty string, got ""/);
    assert.match(descriptorProblem({ vendor: 'a', model: 3, create })!, /"model" must be a non-empty string, got number/);
    assert.match(descriptorProblem({ vendor: 'a', model: 'b', create: 'x' })!, /a\/b: "create" must be a function/);
    assert.match(descriptorProblem({ vendor: 'a', model: 'b', create, accessTypes: ['HTTP'] })!, /"accessTypes" must be a non-empty list of REST, SSH/);
    assert.match(descriptorProblem({ vendor: 'a', model: 'b', create, resources: [] })!, /"resources" must be a non-empty list/);
  });

  test('summarize fills in the defaults', () => {
    assert.deepEqual(summarize({ vendor: 'a', model: 'b', create: () => ({}) as never }), {
      vendor: 'a', model: 'b', description: null, accessTypes: ['REST'], resources: ['STORAGE', 'STORAGE_POOL', 'VOLUME'],
    });
  });
});

describe('resolvePlugin', () => {
  const cwd = join(root, 'project', 'sub');
  mkdirSync(cwd, { recursive: true });
  const modules = join(root, 'project', 'node_modules');
  writePackage(modules, 'exports-string', { exports: './lib/main.js' }, {});
  writePackage(modules, 'exports-conditions', { exports: { '.': { require: './main.cjs', import: './main.mjs' } } }, {});
  writePackage(modules, 'main-only', { main: 'entry.js' }, {});
  writePackage(join(root, 'node-path'), '@scope/pkg', {}, {});

  test("looks in the working directory's node_modules and its parents, and follows exports, main, index.js", () => {
    assert.equal(resolvePlugin('exports-string', cwd, ''), pathToFileURL(join(modules, 'exports-string/lib/main.js')).href);
    assert.equal(resolvePlugin('exports-conditions', cwd, ''), pathToFileURL(join(modules, 'exports-conditions/main.mjs')).href);
    assert.equal(resolvePlugin('main-only', cwd, ''), pathToFileURL(join(modules, 'main-only/entry.js')).href);
  });

  test('then NODE_PATH; a name found nowhere is left for import() to find next to delfin-ts', () => {
    assert.equal(resolvePlugin('@scope/pkg', cwd, join(root, 'node-path')), pathToFileURL(join(root, 'node-path/@scope/pkg/index.js')).href);
    assert.equal(resolvePlugin('not-installed-anywhere', cwd, ''), 'not-installed-anywhere');
  });

  test('a path (./, ../, /) is taken from the working directory: a folder by its package.json, or a file', () => {
    assert.equal(resolvePlugin('../node_modules/main-only', cwd, ''), pathToFileURL(join(modules, 'main-only/entry.js')).href);
    assert.equal(resolvePlugin('./x.js', cwd, ''), pathToFileURL(join(cwd, 'x.js')).href);
  });

  test('DELFIN_DRIVERS is split on commas and spaces', () => {
    assert.deepEqual(parseDriverList(' a, @b/c  ./d,,'), ['a', '@b/c', './d']);
    assert.deepEqual(parseDriverList(undefined), []);
  });
});

describe('loadDriverRegistry', () => {
  const base = join(root, 'registry');
  writePackage(join(base, 'node_modules'), 'one', { exports: './index.js' }, { 'index.js': descriptorJs('acme', 'x1') });
  writePackage(join(base, 'node_modules'), 'two', { exports: './index.js' }, { 'index.js': descriptorJs('acme', 'x1') });
  writePackage(join(base, 'node_modules'), 'several', { exports: './index.js' }, {
    'index.js': `export const drivers = [{ vendor: 'acme', model: 'x2', create() {} }, { vendor: 'acme', model: 'x3', create() {} }];\n`,
  });
  writePackage(join(base, 'node_modules'), 'nothing', { exports: './index.js' }, { 'index.js': `export const x = 1;\n` });
  writePackage(join(base, 'node_modules'), 'bad-item', { exports: './index.js' }, { 'index.js': `export default [{ vendor: 'a', model: 'b', create() {} }, { vendor: 'a' }];\n` });
  writePackage(join(base, 'node_modules'), 'needs-dep', { exports: './index.js' }, { 'index.js': `import 'left-pad-that-is-absent';\nexport default {};\n` });

  const refusal = async (packages: string[]) => {
    const err = await loadDriverRegistry(packages, base).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof DriverPluginError, `expected a DriverPluginError, got ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/);
    return err.message;
  };

  test('the built-in drivers, then each package\'s (a default export or a `drivers` list)', async () => {
    const registry = await loadDriverRegistry(['one', 'several'], base);
    assert.deepEqual(registry.list().map((d) => `${d.vendor}/${d.model}`), ['acme/x1', 'acme/x2', 'acme/x3', 'fake_storage/fake_driver', 'snia/swordfish']);
  });

  test('two packages providing the same vendor/model: the second is refused, both named', async () => {
    assert.match(await refusal(['one', 'two']), /^driver package "two" provides vendor "acme" model "x1", already provided by driver package "one"/);
  });

  test('no descriptor exported, or a bad item in a list', async () => {
    assert.match(await refusal(['nothing']), /^driver package "nothing" has no default export and no "drivers" export/);
    assert.match(await refusal(['bad-item']), /^driver package "bad-item" does not export a driver descriptor \(item 1\): "model" must be a non-empty string/);
  });

  test('a package found but missing a dependency of its own failed to load (it is not "not found")', async () => {
    assert.match(await refusal(['needs-dep']), /^driver package "needs-dep" failed to load: Cannot find package 'left-pad-that-is-absent'/);
  });
});
