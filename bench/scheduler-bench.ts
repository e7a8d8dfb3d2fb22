// Benchmark of the scheduler (issue #4) on real processes and services: 1 000 storages on a fast
// simulator, each with a periodic sync every 60 s, for BENCH_SCHEDULER_MINUTES minutes (10 by
// default), with separate `delfin api`, `delfin worker` and `delfin scheduler` processes and the
// jobs in MongoDB (the MongoDB-wire stand-in, as in development and in the scheduler tests).
//
// Measured: every tick due in the run against the ticks that queued a task (or were coalesced
// with an open sync), the delay from a tick's due time to its task being QUEUED (a periodic
// sync's task keeps its due time in scheduledFor; QUEUED is the row's createdAt), the scheduler
// process's CPU share and peak RSS, and that delay against Agenda's processEvery.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import pg from 'pg';
import { testEnv } from '../test/support/env.js';
import { startDelfin, type DelfinProcess } from '../test/support/system.js';
import { gql, GraphQLRequestError } from '../test/support/graphql.js';
import { fakeInput, REGISTER } from '../test/support/operations.js';
import { mongoStandIn } from '../test/support/mongo.js';
import { JobStoreProbe } from '../test/support/job-store.js';
import { peakRssBytes, resetPeakRss } from './process-memory.js';
import { cpuSeconds } from './process-cpu.js';

export interface SchedulerBenchResult {
  storages: number;
  intervalSeconds: number;
  minutes: number;
  setupSeconds: number;
  /** setSyncSchedule calls of the set-up answered UNAVAILABLE (the job store) and tried again. */
  setupRetries: number;
  /** Agenda's processEvery, as the scheduler process reported it at start. */
  processEveryMs: number;
  /**
   * missed = neverRan (by the end of the run) + lateByAnInterval (queued an interval or more
   * after its due time: the next interval's tick was lost) + failed (the job reported failing).
   */
  ticks: { due: number; queued: number; coalesced: number; missed: number; neverRan: number; lateByAnInterval: number; failed: number; duplicates: number };
  /** From a tick's due time to its task's row committed QUEUED (createdAt), over the ticks that queued a task. */
  delayMs: { p50: number; p99: number; max: number; mean: number };
  /** From a tick's due time to a worker starting its task (for context: includes the work queue). */
  dueToStartMs: { p50: number; p99: number };
  p99OverProcessEvery: number;
  scheduler: { cpuSeconds: number; cpuShareOfOneCore: number; cpuShareOfMachine: number; peakRssMb: number };
  jobStore: { cpuSeconds: number; cpuShareOfOneCore: number; peakRssMb: number };
  targets: { noTickMissed: boolean; p99Under2xProcessEvery: boolean };
  /** A few missed ticks with their job as the store holds it at the end, and the slowest ticks. */
  missedExamples: Array<{ storageId: string; dueAt: string; job?: unknown }>;
  slowest: Array<{ storageId: string; dueAt: string; queuedAt: string }>;
}

// Sizes: `--storages` and `--minutes` (or BENCH_SCHEDULER_STORAGES and BENCH_SCHEDULER_MINUTES).
let STORAGES = Number(process.env.BENCH_SCHEDULER_STORAGES ?? 1000);
let MINUTES = Number(process.env.BENCH_SCHEDULER_MINUTES ?? 10);
const INTERVAL_SECONDS = 60;
/** Registrations (each followed by its setSyncSchedule) in flight at once: the faster the set-up, the denser the due times. */
const BATCH = Number(process.env.BENCH_SCHEDULER_BATCH ?? 50);
/** The simulator's array: one pool and ten volumes, no latency, so syncs end well within a minute. */
const ARRAY = { pools: 1, volumes: 10 };

const SET_SCHEDULE = `mutation Set($id: ID!, $schedule: SyncScheduleInput!) {
  setSyncSchedule(storageId: $id, schedule: $schedule) { storageId enabled intervalSeconds nextRunAt }
}`;

interface MirrorRow {
  storage_id: string;
  last_run_at: Date | null;
  next_run_at: Date | null;
}

export async function runSchedulerBench(log: (line: string) => void, options: { storages?: number; minutes?: number } = {}): Promise<SchedulerBenchResult> {
  STORAGES = options.storages ?? STORAGES;
  MINUTES = options.minutes ?? MINUTES;
  if (!(MINUTES > 0)) throw new Error(`BENCH_SCHEDULER_MINUTES must be a positive number (got ${process.env.BENCH_SCHEDULER_MINUTES})`);
  const standIn = await mongoStandIn();
  const t = testEnv('bench_sched', { SCHEDULER_BACKEND: 'mongodb', MONGODB_URL: standIn.url, LOG_LEVEL: 'warn' });
  const started: DelfinProcess[] = [];
  const db = new pg.Client({ connectionString: t.databaseUrl });
  try {
    const api = await startDelfin('api', t.env);
    started.push(api);
    const [worker, scheduler] = await Promise.all([startDelfin('worker', t.env), startDelfin('scheduler', t.env, 30_000, { logLevel: 'info' })]);
    started.push(worker!, scheduler!);
    await db.connect();
    const processEveryMs = processEveryOf(scheduler!.output());
    const schedPid = scheduler!.proc.pid!;

    log(`scheduler: ${STORAGES} storages, a periodic sync each every ${INTERVAL_SECONDS} s, for ${MINUTES} min ` +
      `(real api, worker and scheduler processes; jobs in the MongoDB-wire stand-in; Agenda processEvery ${processEveryMs} ms)`);

    // Set-up: registrations in batches; each storage's schedule is set right after it is
    // registered, so the due times spread over the set-up as registration times do.
    const setupStart = Date.now();
    const firstDue = new Map<string, number>();
    for (let i = 0; i < STORAGES; i += BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(BATCH, STORAGES - i) }, async (_, j) => {
          const n = i + j;
          const host = `10.${120 + Math.floor(n / 62500)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
          const { registerStorage } = await gql(api.url, REGISTER, { input: fakeInput(host, ARRAY, `bench-${n}`) });
          const { setSyncSchedule } = await retryUnavailable(() =>
            gql(api.url, SET_SCHEDULE, { id: registerStorage.id, schedule: { enabled: true, intervalSeconds: INTERVAL_SECONDS } }),
          );
          firstDue.set(registerStorage.id, Date.parse(setSyncSchedule.nextRunAt));
        }),
      );
    }
    const setupSeconds = (Date.now() - setupStart) / 1000;
    log(`  set-up: ${STORAGES} storages registered and scheduled in ${setupSeconds.toFixed(1)} s` +
      (setupRetries.count ? ` (${setupRetries.count} setSyncSchedule calls answered UNAVAILABLE and were tried again)` : ''));

    // The run: the mirror is read every second (each tick, queued or coalesced, moves its
    // next_run_at), and a line is printed every minute.
    resetPeakRss(schedPid);
    resetPeakRss(standIn.pid);
    const t0 = Date.now();
    const cpu0 = { scheduler: cpuSeconds(schedPid), store: cpuSeconds(standIn.pid) };
    const t1 = t0 + MINUTES * 60_000;
    const seenDue = new Map<string, Set<number>>();
    const readMirror = async () => {
      const { rows } = await db.query<MirrorRow>('select storage_id, last_run_at, next_run_at from sync_schedule');
      for (const r of rows) {
        if (!r.next_run_at) continue;
        let s = seenDue.get(r.storage_id);
        if (!s) seenDue.set(r.storage_id, (s = new Set()));
        s.add(r.next_run_at.getTime());
      }
    };
    let nextReport = t0 + 60_000;
    while (Date.now() < t1) {
      await readMirror();
      if (Date.now() >= nextReport) {
        const { rows } = await db.query(
          `select count(*)::int as n,
             percentile_cont(0.5) within group (order by extract(epoch from created_at - scheduled_for) * 1000) as p50,
             percentile_cont(0.99) within group (order by extract(epoch from created_at - scheduled_for) * 1000) as p99
           from task where kind = 'SYNC_RESOURCES' and scheduled_for is not null and created_at >= $1 and created_at < $2`,
          [new Date(nextReport - 60_000), new Date(nextReport)],
        );
        const r = rows[0];
        log(`  minute ${Math.round((nextReport - t0) / 60_000)}: ${r.n} periodic syncs queued, delay p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms; ` +
          `scheduler CPU so far ${(((cpuSeconds(schedPid) - cpu0.scheduler) / ((Date.now() - t0) / 1000)) * 100).toFixed(1)} % of a core`);
        nextReport += 60_000;
      }
      await sleep(Math.min(1000, Math.max(0, t1 - Date.now())));
    }
    const wallSeconds = (Date.now() - t0) / 1000;
    const cpu = { scheduler: cpuSeconds(schedPid) - cpu0.scheduler, store: cpuSeconds(standIn.pid) - cpu0.store };
    const rss = { scheduler: peakRssBytes(schedPid) / 2 ** 20, store: peakRssBytes(standIn.pid) / 2 ** 20 };

    // Ticks due up to the end get a moment to be recorded, then everything is read once more.
    await sleep(2 * processEveryMs + 2000);
    await readMirror();
    const { rows: tasks } = await db.query(
      `select storage_id, scheduled_for, created_at, started_at from task
       where kind = 'SYNC_RESOURCES' and scheduled_for is not null order by scheduled_for`,
    );
    const failed = (scheduler!.output().match(/"scheduled job failed"/g) ?? []).length;

    // Per storage, its due times: the first (from setSyncSchedule), those the mirror showed and
    // those its tasks keep. Each one up to the end of the run was queued (a task keeps it),
    // coalesced (no task, but the mirror moved past it: the tick ran and found a sync open) or missed.
    const tasksOf = new Map<string, Map<number, number>>();
    let duplicates = 0;
    for (const task of tasks) {
      let m = tasksOf.get(task.storage_id);
      if (!m) tasksOf.set(task.storage_id, (m = new Map()));
      const due = (task.scheduled_for as Date).getTime();
      if (m.has(due)) duplicates++;
      m.set(due, (m.get(due) ?? 0) + 1);
    }
    let due = 0;
    let queued = 0;
    let coalesced = 0;
    let missed = 0;
    let late = 0;
    const queuedAt = new Map(tasks.map((x) => [`${x.storage_id}/${(x.scheduled_for as Date).getTime()}`, (x.created_at as Date).getTime()]));
    const lateTaskOf = (storageId: string, d: number) => (queuedAt.get(`${storageId}/${d}`) ?? d) - d;
    const missedExamples: Array<{ storageId: string; dueAt: string; job?: unknown }> = [];
    for (const [storageId, first] of firstDue) {
      const times = new Set([first, ...(seenDue.get(storageId) ?? []), ...(tasksOf.get(storageId)?.keys() ?? [])]);
      const sorted = [...times].sort((a, b) => a - b);
      for (const [i, d] of sorted.entries()) {
        if (d > t1) break;
        due++;
        if (tasksOf.get(storageId)?.has(d)) {
          queued++;
          // Queued an interval or more after it was due: the tick of that next interval was lost.
          if (lateTaskOf(storageId, d) >= INTERVAL_SECONDS * 1000) late++;
        }
        else if (i + 1 < sorted.length) coalesced++;
        // The last due time known never ran: that tick and every interval after it up to the end.
        else {
          const lost = 1 + Math.floor((t1 - d) / (INTERVAL_SECONDS * 1000));
          missed += lost;
          due += lost - 1;
          if (missedExamples.length < 5) missedExamples.push({ storageId, dueAt: new Date(d).toISOString() });
        }
      }
    }

    // What the job store holds for a few missed ticks, and the slowest ticks: to see why.
    if (missedExamples.length > 0) {
      const probe = await JobStoreProbe.open({ kind: 'mongodb', url: standIn.url, namespace: t.namespace });
      try {
        for (const m of missedExamples) {
          const [job] = await probe.jobsOf(m.storageId);
          m.job = job && pick(job, ['nextRunAt', 'lastRunAt', 'lastFinishedAt', 'lockedAt', 'failCount', 'failReason', 'disabled']);
        }
      } finally {
        await probe.close();
      }
    }
    const inRun = tasks.filter((x) => (x.scheduled_for as Date).getTime() <= t1);
    const slowest = [...inRun]
      .sort((a, b) => b.created_at - b.scheduled_for - (a.created_at - a.scheduled_for))
      .slice(0, 5)
      .map((x) => ({ storageId: x.storage_id as string, dueAt: (x.scheduled_for as Date).toISOString(), queuedAt: (x.created_at as Date).toISOString() }));
    const delays = inRun.map((x) => (x.created_at as Date).getTime() - (x.scheduled_for as Date).getTime()).sort((a, b) => a - b);
    const toStart = inRun.filter((x) => x.started_at).map((x) => (x.started_at as Date).getTime() - (x.scheduled_for as Date).getTime()).sort((a, b) => a - b);
    const delayMs = {
      p50: percentile(delays, 0.5),
      p99: percentile(delays, 0.99),
      max: delays.at(-1) ?? NaN,
      mean: delays.reduce((a, b) => a + b, 0) / (delays.length || 1),
    };
    const dueToStartMs = { p50: percentile(toStart, 0.5), p99: percentile(toStart, 0.99) };
    const cores = cpus().length;
    const result: SchedulerBenchResult = {
      storages: STORAGES,
      intervalSeconds: INTERVAL_SECONDS,
      minutes: MINUTES,
      setupSeconds,
      setupRetries: setupRetries.count,
      processEveryMs,
      ticks: { due, queued, coalesced, missed: missed + failed + late, neverRan: missed, lateByAnInterval: late, failed, duplicates },
      delayMs,
      dueToStartMs,
      p99OverProcessEvery: delayMs.p99 / processEveryMs,
      scheduler: {
        cpuSeconds: cpu.scheduler,
        cpuShareOfOneCore: cpu.scheduler / wallSeconds,
        cpuShareOfMachine: cpu.scheduler / wallSeconds / cores,
        peakRssMb: rss.scheduler,
      },
      jobStore: { cpuSeconds: cpu.store, cpuShareOfOneCore: cpu.store / wallSeconds, peakRssMb: rss.store },
      missedExamples,
      slowest,
      targets: { noTickMissed: missed + failed + late === 0 && duplicates === 0, p99Under2xProcessEvery: delayMs.p99 / processEveryMs < 2 },
    };

    const row = (label: string, value: string) => log(`  ${label.padEnd(44)} ${value}`);
    row('ticks due in the run', String(due));
    row('  queued a task', String(queued));
    row('  coalesced with an open sync', String(coalesced));
    row('  missed', `${missed + failed + late}: ${missed} never ran, ${late} queued an interval or more late, ${failed} failed`);
    row('  ran twice', String(duplicates));
    row('delay, due time to QUEUED', `p50 ${fmt(delayMs.p50)} ms, p99 ${fmt(delayMs.p99)} ms, max ${fmt(delayMs.max)} ms, mean ${fmt(delayMs.mean)} ms`);
    row('  (due time to a worker starting it)', `p50 ${fmt(dueToStartMs.p50)} ms, p99 ${fmt(dueToStartMs.p99)} ms`);
    row('Agenda processEvery', `${processEveryMs} ms; p99 / processEvery ${result.p99OverProcessEvery.toFixed(2)}`);
    row('scheduler CPU', `${cpu.scheduler.toFixed(1)} s in ${wallSeconds.toFixed(0)} s: ${(result.scheduler.cpuShareOfOneCore * 100).toFixed(1)} % of one core ` +
      `(${(result.scheduler.cpuShareOfMachine * 100).toFixed(1)} % of the ${cores} cores)`);
    row('scheduler peak RSS', `${rss.scheduler.toFixed(0)} MB`);
    row('job store (MongoDB stand-in) CPU, peak RSS', `${(result.jobStore.cpuShareOfOneCore * 100).toFixed(1)} % of one core, ${rss.store.toFixed(0)} MB`);
    if (missedExamples.length > 0) log(`  missed, for example: ${JSON.stringify(missedExamples)}`);
    if (delayMs.max > 2 * processEveryMs) log(`  slowest: ${JSON.stringify(slowest)}`);
    log(`  targets: no tick missed over ${MINUTES} min: ${ok(result.targets.noTickMissed)}; ` +
      `p99 delay under 2 × processEvery (${2 * processEveryMs} ms): ${ok(result.targets.p99Under2xProcessEvery)}`);
    return result;
  } finally {
    await db.end().catch(() => undefined);
    for (const p of started.reverse()) await p.stop();
    // BENCH_LOG_DIR=dir keeps each process's output there (the scheduler's logs at info level).
    if (process.env.BENCH_LOG_DIR) {
      mkdirSync(process.env.BENCH_LOG_DIR, { recursive: true });
      for (const [i, p] of started.entries()) writeFileSync(`${process.env.BENCH_LOG_DIR}/scheduler-bench-${i}.log`, p.output());
    }
    await t.cleanup();
    await standIn.stop();
  }
}

const setupRetries = { count: 0 };

/** As a client does with UNAVAILABLE ("try again"): a few more tries, counted. */
async function retryUnavailable<T>(call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof GraphQLRequestError && err.code === 'UNAVAILABLE') || attempt >= attempts) throw err;
      setupRetries.count++;
      await sleep(200 * attempt);
    }
  }
}

/** Agenda's processEvery, from the scheduler's "scheduler started" line. */
function processEveryOf(output: string): number {
  const line = output.split('\n').find((l) => l.includes('"scheduler started"'));
  const ms = line ? Number((JSON.parse(line) as { processEveryMs?: number }).processEveryMs) : NaN;
  if (!Number.isFinite(ms)) throw new Error(`the scheduler did not report its processEvery:\n${output}`);
  return ms;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const pick = (o: object, keys: string[]) => Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: unknown) => (n === null || n === undefined || Number.isNaN(Number(n)) ? '-' : Number(n).toFixed(0));
const ok = (b: boolean) => (b ? 'met' : 'MISSED');
