// One role of the system (api, worker, scheduler, alerts) as a slot that always holds a running
// `delfin <role>` process: the soak SIGKILLs it, SIGSTOPs it, and starts it again. Every
// incarnation's output goes to one log file per slot and is scanned as it comes for crashes.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/lib/ports.js';
import { rssBytes } from '../test/support/process-rss.js';

const BIN = fileURLToPath(new URL('../../bin/delfin.js', import.meta.url));
export type Role = 'api' | 'worker' | 'scheduler' | 'alerts';

/** Lines that mean a process crashed or lost a promise, whatever killed it. */
const CRASH_LINE = /Unhandled|uncaughtException|triggerUncaughtException|unhandledRejection|"level":60|FATAL ERROR|heap out of memory/;
/** How long a start may take before it counts as refused: past the 300 s a role waits for JetStream. */
const READY_WITHIN_MS = 330_000;

export interface Incarnation {
  pid: number;
  startedAt: number;
  /** RSS once warmed up (30 s after start), then at the end. */
  rssWarm?: number;
  rssEnd?: number;
}

export interface Crash {
  slot: string;
  at: number;
  what: string;
}

export class RoleProcess {
  private proc?: ChildProcess;
  private expectingExit = false;
  private paused = false;
  private retired = false;
  readonly incarnations: Incarnation[] = [];
  /** Start-ups that failed (and were tried again), with the last lines of their output. */
  readonly refusals: Array<{ at: number; reason: string }> = [];
  readonly name: string;
  url = '';
  starts = 0;

  constructor(
    readonly role: Role,
    readonly index: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDir: string,
    private readonly onCrash: (c: Crash) => void,
    private readonly clock: () => number,
  ) {
    this.name = `${role}-${index}`;
  }

  get pid(): number | undefined {
    return this.proc?.exitCode === null && this.proc.signalCode === null ? this.proc.pid : undefined;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Keeps the output; a log that cannot be written (its directory removed) never stops the soak. */
  private log(text: string): void {
    try {
      appendFileSync(join(this.logDir, `${this.name}.log`), text);
    } catch {
      // the scan for crashes goes on from memory
    }
  }

  /** Starts an incarnation and waits until it is ready; a start that fails (say, NATS away) is tried again. */
  async start(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.startOnce();
      } catch (err) {
        this.log(`\n--- start failed: ${(err as Error).message}\n`);
        if (this.retired || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  get isRetired(): boolean {
    return this.retired;
  }

  /** No new incarnation from now on (the soak is over); a start in progress fails. */
  retire(): void {
    this.retired = true;
  }

  private async startOnce(): Promise<void> {
    const port = await freePort();
    if (this.retired) throw new Error(`${this.name}: the soak is over, no new start`);
    this.starts++;
    this.log(`\n--- start ${this.starts} at ${new Date().toISOString()}\n`);
    // The alerts role runs as `delfin alerts receive` (`delfin alerts` lists alerts).
    const args = this.role === 'alerts' ? ['alerts', 'receive'] : [this.role];
    const proc = spawn(process.execPath, [BIN, ...args], {
      env: { ...this.env, PORT: String(port), LOG_LEVEL: this.role === 'api' ? 'warn' : 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.expectingExit = false;
    this.url = `http://127.0.0.1:${port}/graphql`;
    let head = '';
    let tail = '';
    const onData = (d: Buffer) => {
      const text = String(d);
      this.log(text);
      if (head.length < 20_000) head += text;
      tail = (tail + text).slice(-4000);
      const crash = text.split('\n').find((l) => CRASH_LINE.test(l));
      if (crash) this.onCrash({ slot: this.name, at: this.clock(), what: crash.slice(0, 500) });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    let ready = false;
    proc.once('exit', (code, signal) => {
      // An exit during start-up is a refusal (say, NATS away): start() tries again and counts it.
      if (this.proc === proc && !this.expectingExit && ready) {
        this.onCrash({ slot: this.name, at: this.clock(), what: `exited on its own (code ${code}, signal ${signal}): ${tail.split('\n').slice(-6).join(' | ')}` });
      }
    });
    const readiness = this.role === 'api' ? this.waitForReadyz(port) : this.waitForLine(() => head, `${this.role} started`);
    // A role waits for JetStream itself (bus.startWaitSeconds, 300 s) before it gives up.
    const result = await Promise.race([readiness.then(() => 'ready'), exited.then(() => 'exited'), sleep(READY_WITHIN_MS).then(() => 'slow')]);
    if (result !== 'ready') {
      this.expectingExit = true;
      proc.kill('SIGKILL');
      await exited;
      const reason = `${this.name} ${result === 'exited' ? 'exited during start-up' : `was not ready in ${READY_WITHIN_MS / 1000} s`}: ${tail.split('\n').slice(-4).join(' | ')}`;
      this.refusals.push({ at: this.clock(), reason });
      throw new Error(reason);
    }
    ready = true;
    this.incarnations.push({ pid: proc.pid!, startedAt: Date.now() });
  }

  private async waitForReadyz(port: number): Promise<void> {
    for (;;) {
      if (this.proc?.exitCode !== null) return sleep(READY_WITHIN_MS);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ok) return;
      await sleep(200);
    }
  }

  private async waitForLine(output: () => string, needle: string): Promise<void> {
    while (!output().includes(needle)) await sleep(100);
  }

  /** Ends the current incarnation with `signal` (its exit is expected) and waits for it. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    this.expectingExit = true;
    const exited = new Promise((r) => proc.once('exit', r));
    if (this.paused) this.resume();
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  /** SIGKILL, then a new incarnation. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
    this.paused = false;
    await this.start();
  }

  pause(): void {
    if (!this.pid) return;
    this.paused = true;
    process.kill(this.pid, 'SIGSTOP');
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.pid) process.kill(this.pid, 'SIGCONT');
  }

  /** Records RSS: once per incarnation after 30 s (warm), and at the end. */
  sampleRss(final: boolean): void {
    const inc = this.incarnations.at(-1);
    const pid = this.pid;
    if (!inc || !pid || this.paused) return;
    try {
      if (final) inc.rssEnd = rssBytes(pid);
      else if (inc.rssWarm === undefined && Date.now() - inc.startedAt > 30_000) inc.rssWarm = rssBytes(pid);
    } catch {
      // gone between the check and the read: its next incarnation is sampled instead
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
