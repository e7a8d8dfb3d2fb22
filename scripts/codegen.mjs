#!/usr/bin/env node
// `npm run codegen`: generates the typed client operations (src/client/generated/graphql.ts) from
// schema.graphql and src/client/operations/*.graphql, as codegen.yml says, with graphql-codegen's
// core and plugins. Every path in codegen.yml is relative to codegen.yml itself, so this runs the
// same from any directory (`node path/to/delfin-ts/scripts/codegen.mjs`).
//   node scripts/codegen.mjs           writes the files
//   node scripts/codegen.mjs --check   writes nothing; exits 1 naming each file that is stale
// (graphql-codegen's own CLI is not used: it resolves paths from the working directory, and its
// loaders need a newer Node than the one this project supports.)
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { codegen } from '@graphql-codegen/core';
import * as add from '@graphql-codegen/add';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';

export const CONFIG = fileURLToPath(new URL('../codegen.yml', import.meta.url));

const PLUGINS = { add, 'typescript-operations': typescriptOperations, 'typed-document-node': typedDocumentNode };

/** The files a `dir/**\/*.ext` pattern names, sorted, below `base`. */
function filesOf(pattern, base) {
  const m = /^(.*?)\/\*\*\/\*(\.[\w.]+)$/.exec(pattern);
  if (!m) throw new Error(`codegen.yml: documents must look like "dir/**/*.graphql", not "${pattern}"`);
  const dir = resolve(base, m[1]);
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(m[2]))
    .sort()
    .map((f) => join(dir, f));
}

/** What codegen.yml generates: `{ filename, content }` per output, filenames absolute. */
export async function generateClient(configPath = CONFIG) {
  const base = dirname(configPath);
  const config = parseYaml(readFileSync(configPath, 'utf8'));
  const schema = parse(readFileSync(resolve(base, config.schema), 'utf8'));
  const documents = filesOf(config.documents, base).map((file) => {
    const rawSDL = readFileSync(file, 'utf8');
    return { location: relative(base, file), document: parse(rawSDL), rawSDL };
  });
  return Promise.all(
    Object.entries(config.generates).map(async ([output, { plugins, config: outputConfig = {} }]) => {
      for (const plugin of plugins) {
        const name = typeof plugin === 'string' ? plugin : Object.keys(plugin)[0];
        if (!PLUGINS[name]) throw new Error(`codegen.yml: plugin "${name}" is not one scripts/codegen.mjs loads (${Object.keys(PLUGINS).join(', ')})`);
      }
      const filename = resolve(base, output);
      const content = await codegen({
        filename,
        schema,
        documents,
        config: outputConfig,
        plugins: plugins.map((p) => (typeof p === 'string' ? { [p]: {} } : p)),
        pluginMap: PLUGINS,
      });
      return { filename, content };
    }),
  );
}

function readOrEmpty(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function main() {
  const check = process.argv.includes('--check');
  const root = dirname(CONFIG);
  let stale = 0;
  for (const { filename, content } of await generateClient()) {
    const name = relative(root, filename);
    if (readOrEmpty(filename) === content) continue;
    if (check) {
      process.stderr.write(`codegen: ${name} is stale: run \`npm run codegen\` and commit it\n`);
      stale++;
      continue;
    }
    mkdirSync(dirname(filename), { recursive: true });
    writeFileSync(filename, content);
    process.stdout.write(`codegen: wrote ${name}\n`);
  }
  if (stale) process.exitCode = 1;
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main().catch((err) => {
    process.stderr.write(`codegen: ${err.message}\n`);
    process.exitCode = 1;
  });
}
