// The committed generated files match what their generators write now:
// schema.graphql (`npm run schema`) and src/client/generated/*.ts (`npm run codegen`).
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { printSchemaSDL } from '../../src/api/schema.js';

// The project root: three levels up from dist/test/unit (and two from test/unit, where the
// source lives, when the test is run through a TypeScript loader).
const here = fileURLToPath(new URL('.', import.meta.url));
const root = /[\\/]dist[\\/]test[\\/]unit[\\/]?$/.test(here) ? join(here, '..', '..', '..') : join(here, '..', '..');

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Where two texts part, as ` (first difference at line N: "…" instead of "…")`. */
function firstDifference(committed: string, expected: string): string {
  if (!committed) return ' (the file is missing)';
  const a = committed.split('\n');
  const b = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return ` (first difference at line ${i + 1}: ${JSON.stringify(a[i] ?? '<end>')} instead of ${JSON.stringify(b[i] ?? '<end>')})`;
  }
  return '';
}

test('schema.graphql is what the code generates (else run `npm run schema`)', async () => {
  const expected = await printSchemaSDL();
  const committed = await readOrEmpty(join(root, 'schema.graphql'));
  assert.ok(committed === expected, `schema.graphql is stale: run \`npm run schema\` and commit the result${firstDifference(committed, expected)}`);
});

test('src/client/generated is what graphql-codegen generates (else run `npm run codegen`)', { timeout: 20_000 }, async () => {
  const { config } = await loadCodegenConfig({ configFilePath: join(root, 'codegen.yml') });
  // Generates in memory (false: writes nothing); schema and documents are read relative to cwd.
  const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as Array<{ filename: string; content: string }>;
  assert.ok(outputs.length > 0, 'codegen.yml generated no output');
  for (const output of outputs) {
    const path = isAbsolute(output.filename) ? output.filename : join(root, output.filename);
    const committed = await readOrEmpty(path);
    assert.ok(
      committed === output.content,
      `${relative(root, path)} is stale: run \`npm run codegen\` and commit the result${firstDifference(committed, output.content)}`,
    );
  }
});
