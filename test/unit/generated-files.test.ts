// The committed generated files match what their generators write now:
// schema.graphql (`npm run schema`) and src/client/generated/*.ts (`npm run codegen`).
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** scripts/codegen.mjs (plain JavaScript, run by `npm run codegen` without a build). */
interface Codegen {
  generateClient(configPath?: string): Promise<Array<{ filename: string; content: string }>>;
}

test('src/client/generated is what graphql-codegen generates (else run `npm run codegen`)', { timeout: 20_000 }, async () => {
  const { generateClient } = (await import(pathToFileURL(join(root, 'scripts', 'codegen.mjs')).href)) as Codegen;
  const outputs = await generateClient();
  assert.ok(outputs.length > 0, 'codegen.yml generated no output');
  for (const output of outputs) {
    assert.ok(output.filename.startsWith(root), `${output.filename} is inside the repository`);
    const committed = await readOrEmpty(output.filename);
    assert.ok(
      committed === output.content,
      `${relative(root, output.filename)} is stale: run \`npm run codegen\` and commit the result${firstDifference(committed, output.content)}`,
    );
  }
});

test('codegen reads and writes relative to codegen.yml, whatever the working directory', { timeout: 20_000 }, (t) => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'delfin-codegen-'));
  t.after(() => rmSync(elsewhere, { recursive: true, force: true }));
  // --check generates everything and compares it with the files in the repository; it writes nothing.
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'codegen.mjs'), '--check'], { cwd: elsewhere, encoding: 'utf8' });
  assert.equal(run.status, 0, `codegen --check from ${elsewhere}: ${run.stderr}`);
  assert.equal(run.stderr, '');
  assert.deepEqual(readdirSync(elsewhere), [], 'nothing written in the working directory');
});

/** scripts/delfin-openapi.mjs (plain JavaScript, run by `npm run delfin-openapi`). */
interface DelfinOpenapi {
  OUTPUT: string;
  SOURCE: string;
  generate(sourcePath?: string): string;
}

test('src/api/rest/openapi/generated is Delfin\'s document as shared/reference has it (else run `npm run delfin-openapi`)', async (t) => {
  const { OUTPUT, SOURCE, generate } = (await import(pathToFileURL(join(root, 'scripts', 'delfin-openapi.mjs')).href)) as DelfinOpenapi;
  if (!(await readOrEmpty(SOURCE))) return t.skip(`no ${SOURCE} beside the repository`);
  const expected = generate();
  const committed = await readOrEmpty(OUTPUT);
  assert.ok(committed === expected, `${relative(root, OUTPUT)} is stale: run \`npm run delfin-openapi\` and commit the result${firstDifference(committed, expected)}`);
});
