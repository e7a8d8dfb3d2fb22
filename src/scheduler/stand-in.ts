// The in-memory MongoDB stand-in of development (stack-notes: CongoDB), as a child process
// stopped with its parent, by pid. Never used in production: schedules held by it are lost when
// the process stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/ports.js';

const SCRIPT = fileURLToPath(new URL('./congo-server.js', import.meta.url));
const START_TIMEOUT_MS = 15_000;

export interface StandIn {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `port`: a given one (a stand-in started again where the last one was), else a free one. */
export async function startStandIn(database = 'delfin', port?: number): Promise<StandIn> {
  port ??= await freePort();
  const child = spawn(process.execPath, [SCRIPT, String(port)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitUntilListening(child, () => output);
  // The parent's event loop must not wait for the child: the child exits with the parent.
  child.unref();
  child.channel?.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  return { url: `mongodb://127.0.0.1:${port}/${database}`, pid: child.pid!, stop: () => stopChild(child) };
}

function waitUntilListening(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the MongoDB stand-in did not start in ${START_TIMEOUT_MS} ms: ${output()}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      if (!output().includes('congodb listening')) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve();
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the MongoDB stand-in exited (code ${code}) during start-up: ${output().trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
