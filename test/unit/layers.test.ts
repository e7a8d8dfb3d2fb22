// The folders of src/ form layers: a module imports only from its own folder or from a lower
// layer, so the road of a request reads one way (resolver → service → bus; worker → driver → db →
// events) and no import runs back up. A new folder must be given a layer here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** Lowest first. Top-level files are parts of their own (`config.ts` is `config`). */
const LAYERS: string[][] = [
  ['lib'],
  ['errors', 'metrics-policy', 'auth', 'config', 'logger', 'client'],
  ['db', 'drivers'],
  ['bus'],
  ['tasks', 'exporters', 'alerts'],
  ['scheduler'],
  ['api', 'cli'],
  ['roles', 'main'],
];
const layerOf = new Map(LAYERS.flatMap((parts, i) => parts.map((p) => [p, i] as const)));

function partOf(file: string): string {
  const first = relative(SRC, file).split(sep)[0]!;
  return first.replace(/\.ts$/, '');
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'generated' ? [] : sources(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

test('every folder of src/ has a layer', () => {
  const parts = new Set(sources(SRC).map(partOf));
  for (const p of parts) assert.ok(layerOf.has(p), `src/${p} has no layer in test/unit/layers.test.ts`);
});

test('no import runs up the layers', () => {
  const wrong: string[] = [];
  for (const file of sources(SRC)) {
    const from = partOf(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = partOf(normalize(join(dirname(file), spec!)));
      // `import type` of a config shape is allowed from below (the logger's format type).
      if (to === from || !layerOf.has(to)) continue;
      if (layerOf.get(to)! > layerOf.get(from)!) wrong.push(`${relative(SRC, file)} imports ${spec} (${from} → ${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});
