// Starts the real `delfin` command as a child process, as a user would, and waits until it is
// ready (/readyz answers 200).
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/lib/ports.js';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));

export interface DelfinProcess {
  proc: ChildProcess;
  /** GraphQL endpoint (api roles only). */
  url: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export { freePort };

export async function startDelfin(
  role: 'all' | 'api' | 'worker' | 'scheduler' | 'alerts',
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
  opts: { logLevel?: 'info' | 'debug' } = {},
): Promise<DelfinProcess> {
  const port = await freePort();
  // A worker or a scheduler has no port: its readiness is its "... started" log line, at level
  // info. A scheduler logs at debug: each job it runs is a line tests can count (a benchmark
  // gives `logLevel: 'info'` to measure it as it runs in production).
  const roleLevel = role === 'worker' || role === 'alerts' ? 'info' : role === 'scheduler' ? 'debug' : undefined;
  const level = opts.logLevel ?? roleLevel;
  const roleEnv = level ? { LOG_LEVEL: level } : {};
  // The alerts role runs as `delfin alerts receive` (`delfin alerts` lists alerts).
  const args = role === 'alerts' ? ['alerts', 'receive'] : [role];
  const proc = spawn(process.execPath, [BIN, ...args], { env: { ...env, PORT: String(port), ...roleEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}/graphql`;
  const ready = role === 'worker' || role === 'scheduler' || role === 'alerts'
    ? waitForLine(() => out, `${role} started`, timeoutMs)
    : waitForReady(`http://127.0.0.1:${port}/readyz`, timeoutMs);
  const result = await Promise.race([ready.then(() => 'ready' as const), exited.then(() => 'exited' as const)]);
  if (result === 'exited') throw new Error(`delfin ${role} exited during start-up:\n${out}`);
  return {
    proc,
    url,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready in ${timeoutMs} ms`);
}

async function waitForLine(output: () => string, needle: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (output().includes(needle)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`"${needle}" did not appear in ${timeoutMs} ms:\n${output()}`);
}
