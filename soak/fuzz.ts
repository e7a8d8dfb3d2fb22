// The GraphQL fuzz of test/integration/fuzz.test.ts run deeper: the same seeded generator over
// HTTP and graphql-ws, its counts given through FUZZ_HTTP and FUZZ_WS. It fails on an internal
// error, a crash, or a secret in an answer; this returns whether it passed and its summary.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FUZZ_TEST = fileURLToPath(new URL('../test/integration/fuzz.test.js', import.meta.url));

export interface FuzzResult {
  passed: boolean;
  operations: number;
  seed: number;
  summary: string;
}

/** `operations` split 85 % HTTP, 15 % graphql-ws (the test file's own proportion). */
export function runFuzz(operations: number, seed: number): Promise<FuzzResult> {
  const ws = Math.round(operations * 0.15);
  const env = { ...process.env, FUZZ_HTTP: String(operations - ws), FUZZ_WS: String(ws), FUZZ_SEED: String(seed) };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-force-exit', '--test-reporter=tap', FUZZ_TEST], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      const lines = out.split('\n').filter((l) => /^# (fuzz:|seed|HTTP error codes)|^(ok|not ok) /.test(l.trim()));
      resolve({ passed: code === 0, operations, seed, summary: (code === 0 ? lines : out.split('\n').slice(-60)).join('\n') });
    });
  });
}
