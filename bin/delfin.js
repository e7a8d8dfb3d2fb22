#!/usr/bin/env node
// The `delfin` command. The TypeScript is compiled to dist/ by `npm ci` / `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('delfin: dist/ is missing; run `npm run build` (or `npm ci`) first.\n');
  process.exit(1);
}
await import(main);
