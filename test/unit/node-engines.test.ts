// The Node.js versions the README promises are the ones every installed package accepts: `npm ci`
// on any of them prints no EBADENGINE warning. The range lives in package.json's `engines`; the
// README quotes it, every package-lock entry's own `engines.node` must allow all of it, and the
// Docker image runs an LTS line inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Semver {
  satisfies(version: string, range: string): boolean;
  subset(sub: string, dom: string): boolean;
  minVersion(range: string): { version: string } | null;
}
const semver = createRequire(import.meta.url)('semver') as Semver;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: unknown }>;
};
const SUPPORTED = pkg.engines.node;

test('the README states the supported Node.js versions as package.json does', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(`\`${SUPPORTED}\``), `README.md quotes package.json's engines.node, \`${SUPPORTED}\``);
  assert.ok(semver.satisfies(process.version, SUPPORTED), `the tests run on a supported Node.js (${process.version}, supported: ${SUPPORTED})`);
});

test('every package in package-lock.json accepts every Node.js version the README supports', () => {
  const refusing: string[] = [];
  let checked = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    const node = (entry.engines as { node?: unknown } | undefined)?.node;
    if (!path || typeof node !== 'string') continue;
    checked++;
    if (!semver.subset(SUPPORTED, node)) refusing.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version}: node ${node}`);
  }
  assert.deepEqual(refusing, [], `packages that would print EBADENGINE on part of ${SUPPORTED}`);
  assert.ok(checked > 50, `package-lock.json's engines were read (${checked})`);
});

test('the Docker image runs an LTS line (an even major) that the README supports', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const majors = [...dockerfile.matchAll(/^FROM node:(\d+)[-\w.]*/gm)].map((m) => Number(m[1]));
  assert.ok(majors.length >= 1, 'the Dockerfile builds FROM node:<major>');
  for (const major of majors) {
    assert.equal(major % 2, 0, `node:${major} is an LTS line`);
    assert.ok(semver.satisfies(`${major}.99.0`, SUPPORTED), `node:${major} is supported (${SUPPORTED})`);
  }
  assert.equal(new Set(majors).size, 1, 'build and runtime use the same Node.js');
});
