// The fleet benchmark's graphql-ws subscribers, spread over child processes
// (./subscriber-process.ts): ten thousand clients parsing every frame in one process saturate
// its one thread, and the queue that builds there is not the api's.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SubscriberCommand, SubscriberReport } from './subscriber-process.js';

type Seen = Array<[string, string, number, string, number, boolean]>;

export interface EventSubscribers {
  /** The client processes' ids (for their CPU time). */
  pids: number[];
  /** Resolves once every client has received the event `type` of task `taskId`. */
  waitAll(taskId: string, type: string, timeoutMs: number): Promise<void>;
  /** Starts a new latency segment. */
  mark(): Promise<void>;
  /** Per client what it saw of each task; latencies per segment; errors. */
  report(): Promise<{ seen: Seen[]; segments: number[][]; errorCount: number; firstError?: string }>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./subscriber-process.js', import.meta.url));

/** `count` clients over `processes` child processes, the i-th on `urls[i % urls.length]`. */
export async function openSubscribers(urls: string[], storageId: string, count: number, processes: number): Promise<EventSubscribers> {
  const children = Array.from({ length: Math.max(1, Math.min(processes, count)) }, () => ipc(fork(CHILD, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })));
  const share = (k: number) => Math.floor(count / children.length) + (k < count % children.length ? 1 : 0);
  let first = 0;
  await Promise.all(children.map((c, k) => {
    const n = share(k);
    const at = first;
    first += n;
    return c.call({ cmd: 'open', urls, storageId, count: n, first: at });
  }));
  return {
    pids: children.map((c) => c.proc.pid!),
    waitAll: async (taskId, type, timeoutMs) => void (await Promise.all(children.map((c) => c.call({ cmd: 'wait', taskId, type, timeoutMs })))),
    mark: async () => void (await Promise.all(children.map((c) => c.call({ cmd: 'mark' })))),
    async report() {
      const reports = (await Promise.all(children.map((c) => c.call({ cmd: 'report' })))) as SubscriberReport[];
      const segments: number[][] = [];
      for (const r of reports) r.segments.forEach((s, i) => {
        const into = (segments[i] ??= []);
        for (const v of s) into.push(v);
      });
      return {
        seen: reports.flatMap((r) => r.seen),
        segments,
        errorCount: reports.reduce((n, r) => n + r.errorCount, 0),
        firstError: reports.find((r) => r.firstError)?.firstError,
      };
    },
    async close() {
      await Promise.all(children.map((c) => c.call({ cmd: 'close' }).catch(() => undefined)));
      await Promise.all(children.map((c) => c.exited));
    },
  };
}

/** Request/answer over a child's IPC channel. */
function ipc(proc: ChildProcess) {
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  proc.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.result);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => {
    for (const p of pending.values()) p.reject(new Error('a subscriber process exited'));
    resolve();
  }));
  return {
    proc,
    exited,
    call(m: DistributiveOmit<SubscriberCommand, 'id'>): Promise<unknown> {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        proc.send({ ...m, id });
      });
    },
  };
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
