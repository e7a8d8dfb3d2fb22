// One soak run: the system started, a fleet registered, the load and the planned faults for the
// run's minutes with the continuous checks, then the quiesce (faults lifted, load stopped, every
// task left to end, a final sync of every storage) and the final checks. Returns the report.
import { prng } from '../test/support/prng.js';
import type { SoakOptions } from './options.js';
import { SoakSystem } from './system.js';
import { Load } from './load.js';
import { FaultInjector, planFaults, type InjectedFault } from './faults.js';
import { Subscribers, checkSubscribers, type SubscriberFindings } from './subscribers.js';
import {
  ContinuousChecks,
  checkInventory,
  checkOverlaps,
  checkRss,
  checkScheduleTicks,
  checkTasks,
  finalTasks,
  type TaskFigures,
  type Violation,
} from './checks.js';
import { withDb } from '../test/support/db.js';
import { sleep } from './role-process.js';

export interface SoakReport {
  seed: number;
  minutes: number;
  /** Seconds from the load's start to the end of the final checks. */
  seconds: number;
  storages: { registered: number; live: number };
  faults: Record<string, number>;
  faultLog: InjectedFault[];
  tasks: TaskFigures;
  answers: Record<string, number>;
  subscribers: Omit<SubscriberFindings, 'violations'>;
  periodicSyncs: number;
  schedules: number;
  trapsSent: number;
  rss: string[];
  /** Start-ups that failed and were tried again (a role started while NATS or the stand-in was away). */
  refusedStarts: Array<{ slot: string; at: number; reason: string }>;
  /** Why the NATS nodes have no disks of their own (so no full-disk fault), when they have none. */
  natsDiskRefusal: string;
  /** What the soak did as the NATS cluster's operator beyond the faults' own recovery. */
  operatorActions: Array<{ at: number; what: string }>;
  violations: Violation[];
  logDir: string;
}

export interface SoakRun {
  report: Promise<SoakReport>;
  /** Ctrl-C: everything the run started is removed. */
  abort(): Promise<void>;
}

export function runSoak(o: SoakOptions, tell: (line: string) => void = () => undefined): SoakRun {
  let started = Date.now();
  const clock = () => (Date.now() - started) / 1000;
  let system: SoakSystem | undefined;
  /** Every line goes to the caller and to soak.log beside the process logs (kept on a violation). */
  const say = (line: string) => {
    tell(line);
    system?.note(`[${new Date().toISOString()}] ${line}`);
  };
  /** What keeps acting on the system (the load, the faults, the subscribers), stopped before it is removed. */
  const actors: Array<{ stop(): Promise<void> }> = [];
  const teardown = async () => {
    await Promise.all(actors.map((a) => a.stop().catch(() => undefined)));
    await system?.cleanup();
  };
  const violations: Violation[] = [];
  const violation = (check: string, what: string) => {
    violations.push({ at: Math.round(clock() * 10) / 10, check, what });
    say(`VIOLATION at ${clock().toFixed(1)} s [${check}] ${what}`);
  };

  const report = (async (): Promise<SoakReport> => {
    const root = prng(o.seed);
    const faultRng = root.fork();
    const loadRng = root.fork();
    say(`soak: seed ${o.seed}, ${o.minutes} min, ${o.storages} storages; starting the system`);
    const sys = SoakSystem.create(clock, o.logDir);
    system = sys;
    await sys.start();
    const load = new Load(sys, loadRng, clock);
    const subs = new Subscribers(() => sys.apiUrl((n) => Math.floor(Math.random() * n)), o.subscribers, clock);
    actors.push(load, subs);
    load.onAccepted = (t) => subs.followTask(t.id);
    await load.registerFleet(o.storages);
    say(`soak: ${load.live().length} storages registered; load and faults start`);
    for (let i = 0; i < 2; i++) subs.followAll();

    started = Date.now();
    const seconds = o.minutes * 60;
    const plan = planFaults(faultRng, seconds, o.killEverySeconds, o.rareFaultEverySeconds, sys.slots.length);
    const faults = new FaultInjector(sys, load, clock, say);
    actors.unshift(faults);
    const checks = new ContinuousChecks(sys.databaseUrl, o.taskBoundSeconds, (v) => violation(v.check, v.what));
    load.start(o.storages);
    faults.start(plan);
    let seenCrashes = 0;
    while (clock() < seconds) {
      await sleep(Math.min(15_000, (seconds - clock()) * 1000));
      for (const s of sys.slots) s.sampleRss(false);
      await checks.run();
      for (const c of sys.crashes.slice(seenCrashes)) violation('no crash but the kills', `${c.slot}: ${c.what}`);
      seenCrashes = sys.crashes.length;
      say(`soak: ${clock().toFixed(0)} s, ${faults.injected.length} faults, ${load.accepted.size} tasks accepted, ${violations.length} violations`);
    }

    say('soak: quiesce (faults lifted, load stopped, every task left to end, a final sync of each storage)');
    await faults.stop();
    say('soak: quiesce: faults lifted');
    await load.stop();
    await load.settle();
    say('soak: quiesce: load stopped, access infos written again');
    await waitForNoOpenTask(sys.databaseUrl, o.taskBoundSeconds);
    let finalSync: Array<{ id: string }> = [];
    for (let i = 0; i < 10 && finalSync.length === 0; i++) finalSync = (await load.call(`mutation { syncAllStorages { id kind } }`, {}))?.syncAllStorages ?? [];
    await waitForNoOpenTask(sys.databaseUrl, o.taskBoundSeconds);
    if (finalSync.length === 0 && load.live().length > 0) violation('rows equal the inventory', 'the final syncAllStorages was not accepted');
    await checks.run();
    for (const s of sys.slots) s.sampleRss(true);
    // No more ticks: the schedulers stop (SIGTERM), and what they queued last ends.
    await Promise.all(sys.of('scheduler').map((s) => s.stop()));
    await waitForNoOpenTask(sys.databaseUrl, o.taskBoundSeconds);
    await sleep(3000); // the last events reach the subscribers
    await subs.stop();
    say('soak: quiesce done; final checks');

    const tasks = await checkTasks(sys.databaseUrl, o.taskBoundSeconds);
    for (const v of tasks.violations) violation('task ends within the bound', v);
    for (const v of await checkOverlaps(sys.databaseUrl)) violation('one run at a time per storage', v);
    for (const v of await checkInventory(sys.databaseUrl, load.live())) violation('rows equal the inventory', v);
    const ticks = await checkScheduleTicks(sys.databaseUrl);
    for (const v of ticks.violations) violation('one task per schedule tick', v);
    // A fault's effects start at its injection, and a full disk's again at its node's restart.
    const faultTimes = faults.injected
      .filter((f) => f.kind !== 'driver-hang' && f.kind !== 'driver-slow')
      .flatMap((f) => (f.kind === 'nats-disk-full' ? [f.injectedAt, f.injectedAt + f.lasts] : [f.injectedAt]));
    const subFindings = checkSubscribers(subs.all, await finalTasks(sys.databaseUrl), faultTimes);
    for (const v of subFindings.violations) violation('subscribers see every event in order', v);
    const rss = checkRss(sys.slots);
    for (const v of rss.violations) violation('RSS within a bound of its start', v);
    for (const c of sys.crashes.slice(seenCrashes)) violation('no crash but the kills', `${c.slot}: ${c.what}`);
    for (const e of load.internalErrors) violations.push({ at: e.at, check: 'no internal error', what: e.what });

    const { violations: _, ...subFigures } = subFindings;
    return {
      seed: o.seed,
      minutes: o.minutes,
      seconds: Math.round(clock()),
      storages: { registered: load.storages.length, live: load.live().length },
      faults: faults.byKind(),
      faultLog: faults.injected,
      tasks: tasks.figures,
      answers: load.answers,
      subscribers: subFigures,
      periodicSyncs: ticks.periodic,
      schedules: ticks.schedules,
      trapsSent: load.trapsSent,
      rss: rss.samples,
      refusedStarts: sys.slots.flatMap((sl) => sl.refusals.map((r) => ({ slot: sl.name, ...r }))),
      natsDiskRefusal: sys.natsDiskRefusal,
      operatorActions: sys.operatorActions,
      violations,
      logDir: sys.logDir,
    };
  })();

  return {
    // Also when the run itself fails: nothing it started may outlive it (a fault restarting a
    // process after the clean-up, say).
    report: report.finally(async () => {
      await teardown();
      if (violations.length === 0) system?.removeLogs();
    }),
    async abort() {
      await teardown();
      system?.removeLogs();
    },
  };
}

/**
 * Waits until no task created so far is QUEUED or RUNNING (read from the rows, whichever api is
 * up; schedules keep adding new ones), at most `boundSeconds`.
 */
async function waitForNoOpenTask(databaseUrl: string, boundSeconds: number): Promise<void> {
  const since = new Date();
  const deadline = Date.now() + boundSeconds * 1000;
  while (Date.now() < deadline) {
    const open = await withDb(databaseUrl, async (c) =>
      (await c.query(`select count(*)::int as n from task where status in ('QUEUED', 'RUNNING') and created_at <= $1`, [since])).rows[0].n as number);
    if (open === 0) return;
    await sleep(1000);
  }
}
