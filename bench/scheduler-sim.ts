// The scheduler at sizes a full run does not fit on this machine (issue #17): the real Agenda,
// opened as the scheduler opens it (`openAgenda`, same processEvery, lock lifetime and job
// concurrency), over a real job store (the MongoDB-wire stand-in in its own process, or
// PostgreSQL), with `jobs` periodic jobs every `intervalSeconds`, their first due times spread
// over one interval as registrations spread them. What is left out is what every tick does after
// Agenda has run it: the job's handler waits `workMs` (the sync-storage job's own round trips,
// measured in the scheduler bench) instead of queueing a sync; `npm run bench -- --only scheduler`
// measures that path end to end, and the fleet bench the syncs. So this is Agenda and its store at
// the tick rate of `jobs` arrays, shortened to `minutes`: a tick is due per job per interval, the
// same rate as the full ten minutes, for fewer intervals.
//
// Counted per job from what its handler saw (the run's start, Agenda's lastRunAt, and the next due
// time Agenda had computed, nextRunAt): each run's delay from its due time, a due time run twice,
// a run an interval or more late (the tick of that interval was lost), a job whose last due time
// passed without a run by the end.
import { cpus } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Job } from 'agenda';
import { openAgenda } from '../src/scheduler/agenda.js';
import { defineJob, JOB_CONCURRENCY } from '../src/scheduler/define-job.js';
import { jobTableName, type JobStore } from '../src/scheduler/job-store.js';
import pg from 'pg';
import { mongoStandIn } from '../test/support/mongo.js';
import { testEnv } from '../test/support/env.js';
import { openDatabase } from '../src/db/database.js';
import { peakRssBytes, resetPeakRss } from './process-memory.js';
import { cpuSeconds } from './process-cpu.js';

export interface SchedulerSimOptions {
  jobs: number;
  minutes: number;
  intervalSeconds: number;
  /** Agenda's processEvery (the scheduler's default: 1 000 ms). */
  pollMs: number;
  /** What each tick's handler costs beyond Agenda (the sync-storage job's round trips). */
  workMs: number;
  /** The job store: `mongodb` (the MongoDB-wire stand-in) or `postgres` (Agenda's PostgreSQL backend). */
  store: 'mongodb' | 'postgres';
  /** Scheduler instances (Agendas on the same store, as several scheduler processes would be). */
  schedulers: number;
}

export const SCHEDULER_SIM_DEFAULTS: SchedulerSimOptions = { jobs: 10_000, minutes: 3, intervalSeconds: 60, pollMs: 1000, workMs: 5, store: 'postgres', schedulers: 1 };

const JOB = 'bench-tick';

export async function runSchedulerSim(log: (line: string) => void, options: Partial<SchedulerSimOptions> = {}) {
  const o = { ...SCHEDULER_SIM_DEFAULTS, ...options };
  const interval = o.intervalSeconds * 1000;
  const t = testEnv('bench_sim');
  await (await openDatabase(t.databaseUrl)).close();
  const standIn = o.store === 'mongodb' ? await mongoStandIn() : undefined;
  const namespace = `bench_sim_${randomBytes(4).toString('hex')}`;
  const store: JobStore = standIn ? { kind: 'mongodb', url: standIn.url, namespace } : { kind: 'postgres', url: t.databaseUrl, namespace };
  /** The store's CPU and memory: the stand-in's process, or PostgreSQL's backends of this database. */
  const storePids = async () => standIn ? [standIn.pid] : (await pgBackends(t.databaseUrl));
  const opened = await Promise.all(Array.from({ length: o.schedulers }, (_, i) =>
    openAgenda(store, { name: `bench-sim-${i}`, processEveryMs: o.pollMs, lockLifetimeMs: 60_000 })));
  const agenda = opened[0]!.agenda;
  /** Per job: the due time it was created with, then [ran at, due, next due] of each run. */
  const firstDue = new Map<string, number>();
  const runs = new Map<string, Array<[number, number]>>();
  let failures = 0;
  const tick = async (job: Job<{ n: number }>) => {
    const id = String(job.attrs._id);
    const ranAt = (job.attrs.lastRunAt ?? new Date()).getTime();
    let mine = runs.get(id);
    if (!mine) runs.set(id, (mine = []));
    mine.push([ranAt, job.attrs.nextRunAt?.getTime() ?? NaN]);
    if (o.workMs > 0) await new Promise((r) => setTimeout(r, o.workMs));
  };
  for (const { agenda: a } of opened) {
    defineJob(a, JOB, tick);
    a.on('fail', () => failures++);
    a.on('error', () => failures++);
  }
  try {
    log(`scheduler simulation: ${o.jobs} periodic jobs every ${o.intervalSeconds} s for ${o.minutes} min ` +
      `(${(o.jobs / o.intervalSeconds).toFixed(0)} ticks/s), ${o.schedulers} real Agenda${o.schedulers > 1 ? 's' : ''} (processEvery ${o.pollMs} ms, concurrency ${JOB_CONCURRENCY}) ` +
      `on ${standIn ? 'the MongoDB-wire stand-in' : 'PostgreSQL'}; each tick's handler ${o.workMs} ms`);
    // Set-up: the jobs saved before Agenda starts, due times spread over the first interval after it.
    const s0 = Date.now();
    const start = s0 + 5_000 + o.jobs / 2; // room for the saves (the stand-in takes a few thousand a second)
    const BATCH = 200;
    for (let i = 0; i < o.jobs; i += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, o.jobs - i) }, async (_, j) => {
        const n = i + j;
        const job = agenda.create(JOB, { n });
        job.repeatEvery(interval, { skipImmediate: true });
        const due = start + Math.floor((n / o.jobs) * interval);
        job.attrs.nextRunAt = new Date(due);
        await job.save();
        firstDue.set(String(job.attrs._id), due);
      }));
    }
    const setupSeconds = (Date.now() - s0) / 1000;
    log(`  set-up: ${o.jobs} jobs saved in ${setupSeconds.toFixed(1)} s`);
    if (Date.now() > start) log(`  (the set-up overran the first due times by ${((Date.now() - start) / 1000).toFixed(1)} s: those ticks start late)`);
    resetPeakRss(process.pid);
    if (standIn) resetPeakRss(standIn.pid);
    const pids0 = await storePids();
    const cpu0 = { self: cpuSeconds(process.pid), store: sumCpu(pids0) };
    const rtt = await roundTrip(t.databaseUrl);
    const vacuum = standIn ? undefined : await vacuumWhereAutovacuumIsOff(t.databaseUrl, jobTableName(store), log);
    await Promise.all(opened.map(({ agenda: a }) => a.start()));
    const t0 = Date.now();
    const end = start + o.minutes * 60_000;
    let nextReport = t0 + 60_000;
    while (Date.now() < end) {
      await sleep(Math.min(1000, end - Date.now()));
      if (Date.now() >= nextReport) {
        const n = [...runs.values()].reduce((a, r) => a + r.length, 0);
        log(`  minute ${Math.round((nextReport - t0) / 60_000)}: ${n} ticks run so far`);
        nextReport += 60_000;
      }
    }
    const wall = (Date.now() - t0) / 1000;
    const pids1 = await storePids();
    const cpu = { self: cpuSeconds(process.pid) - cpu0.self, store: sumCpu(pids1) - cpu0.store };
    const rss = { self: peakRssBytes(process.pid) / 2 ** 20, store: standIn ? peakRssBytes(standIn.pid) / 2 ** 20 : NaN };
    await Promise.all(opened.map(({ agenda: a }) => a.stop()));
    await vacuum?.stop();

    // A tick due more than 2 × processEvery + workMs before the end should have run.
    const cutoff = end - 2 * o.pollMs - 1000;
    const delays: number[] = [];
    let due = 0;
    let twice = 0;
    let lateByInterval = 0;
    let neverRan = 0;
    for (const [id, first] of firstDue) {
      const mine = runs.get(id) ?? [];
      let dueAt = first;
      const seen = new Set<number>();
      for (const [ranAt, next] of mine) {
        if (seen.has(dueAt)) twice++;
        seen.add(dueAt);
        due++;
        delays.push(ranAt - dueAt);
        if (ranAt - dueAt >= interval) lateByInterval++;
        dueAt = next;
      }
      if (dueAt <= cutoff) {
        const lost = 1 + Math.floor((cutoff - dueAt) / interval);
        neverRan += lost;
        due += lost;
      }
    }
    delays.sort((a, b) => a - b);
    const delayMs = { p50: pct(delays, 0.5), p99: pct(delays, 0.99), max: delays.at(-1) ?? NaN };
    const missed = neverRan + lateByInterval + failures;
    const result = {
      ...o, setupSeconds, ticksDue: due, ticksRun: delays.length, missed, neverRan, lateByInterval, failures, ranTwice: twice, delayMs,
      p99OverPoll: delayMs.p99 / o.pollMs,
      ticksPerSecondDue: o.jobs / o.intervalSeconds,
      ticksPerSecondRun: delays.length / wall,
      /** A PostgreSQL round trip measured just before: Agenda locks due jobs one round trip at a time. */
      roundTripMs: rtt,
      agendaProcess: { cpuShareOfOneCore: cpu.self / wall, peakRssMb: rss.self },
      jobStore: { cpuShareOfOneCore: cpu.store / wall, peakRssMb: rss.store },
      cores: cpus().length,
      targets: { noneMissedNoneTwice: missed === 0 && twice === 0, p99Under2xPoll: delayMs.p99 < 2 * o.pollMs },
    };
    log(`  ticks due ${due}, run ${delays.length}; missed ${missed} (${neverRan} never ran, ${lateByInterval} an interval or more late, ${failures} failed); ran twice ${twice}`);
    log(`  ${result.ticksPerSecondRun.toFixed(1)} ticks/s run of ${result.ticksPerSecondDue.toFixed(1)} due; a PostgreSQL round trip in this run: p50 ${rtt.p50.toFixed(1)} ms, p99 ${rtt.p99.toFixed(1)} ms`);
    log(`  delay, due → run: p50 ${delayMs.p50} ms, p99 ${delayMs.p99} ms (${result.p99OverPoll.toFixed(2)} × processEvery), max ${delayMs.max} ms`);
    log(`  Agenda's process ${(result.agendaProcess.cpuShareOfOneCore * 100).toFixed(1)} % of one core, peak RSS ${rss.self.toFixed(0)} MB; ` +
      `job store ${(result.jobStore.cpuShareOfOneCore * 100).toFixed(1)} % of one core` + (standIn ? `, ${rss.store.toFixed(0)} MB` : ' (its backends)'));
    log(`  targets: 0 missed, 0 twice: ${ok(result.targets.noneMissedNoneTwice)}; p99 < 2 × processEvery: ${ok(result.targets.p99Under2xPoll)}`);
    return result;
  } finally {
    for (const { agenda: a, close } of opened) {
      await a.stop().catch(() => undefined);
      await close().catch(() => undefined);
    }
    await standIn?.stop();
    await t.cleanup();
  }
}

/**
 * The job table is a queue: each tick writes three versions of its row, and the lock query walks
 * the dead ones until they are vacuumed (at 10 000 jobs, 77 000 dead rows after three minutes and
 * a lock query 4× slower). Every production PostgreSQL runs autovacuum; where this one has it off
 * (the project's machines do), the simulation vacuums the table as often as autovacuum could.
 */
async function vacuumWhereAutovacuumIsOff(url: string, table: string, log: (line: string) => void): Promise<{ stop(): Promise<void> } | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  if ((await c.query('show autovacuum')).rows[0].autovacuum === 'on') {
    await c.end();
    return undefined;
  }
  log(`  (this PostgreSQL has autovacuum off: the simulation vacuums ${table} every ${VACUUM_EVERY_MS / 1000} s in its place)`);
  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => c.query(`vacuum "${table}"`)).then(() => undefined, () => undefined);
  }, VACUUM_EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await c.end();
    },
  };
}

const VACUUM_EVERY_MS = 15_000;

/** PostgreSQL's backends serving the database (Agenda's pool keeps its connections). */
async function pgBackends(url: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return rows.map((r) => r.pid as number);
  } finally {
    await c.end();
  }
}

function sumCpu(pids: number[]): number {
  return pids.reduce((sum, p) => {
    try {
      return sum + cpuSeconds(p);
    } catch {
      return sum;
    }
  }, 0);
}

/** `select 1` round trips on a fresh connection: the floor under each of Agenda's lock queries. */
async function roundTrip(url: string, count = 200): Promise<{ p50: number; p99: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await c.query('select 1');
      times.push(performance.now() - t0);
    }
  } finally {
    await c.end();
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 0.5), p99: pct(times, 0.99) };
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = (b: boolean) => (b ? 'met' : 'MISSED');
