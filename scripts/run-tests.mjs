#!/usr/bin/env node
// `npm test`: runs every compiled test file (unit, integration, end-to-end, then faults) with
// Node's test runner. Integration and end-to-end tests need PostgreSQL and NATS (JetStream).
// Usage: node scripts/run-tests.mjs [unit|integration|e2e ...]
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e', 'faults'];
const files = suites.flatMap((suite) => {
  const dir = join('dist', 'test', suite);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => join(dir, f));
});
if (files.length === 0) {
  console.error('no compiled tests found: run `npm run build` first');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=tap', '--test-force-exit', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
