// Benchmark of scale-out (issue #8) on real processes and services: (a) syncAllStorages on a
// fleet of 1 000 simulated arrays (10 pools, 200 volumes each), run by 1 and then by 3 worker
// processes: time until every sync ended and tasks/s; (b) the events of a running sync delivered
// to 1 000 graphql-ws subscribers of one api: latency from the worker's publish (the event's `at`)
// to each client, against a raw NATS publish → subscribe round trip on the same machine, and the
// api's memory per idle subscriber; (c) the api's query latency under each of those loads.
import pg from 'pg';
import { testEnv } from '../test/support/env.js';
import { startDelfin, type DelfinProcess } from '../test/support/system.js';
import { gql } from '../test/support/graphql.js';
import { fakeInput, REGISTER, SYNC, UPDATE_ACCESS } from '../test/support/operations.js';
import { latencyProbe, percentile, registerFleet, waitForIdle } from '../test/support/fleet.js';
import { rssBytes } from '../test/support/process-rss.js';
import { openSubscribers } from './event-subscribers.js';
import { natsRoundTrip } from './nats-baseline.js';
import { cpuSeconds } from './process-cpu.js';
import { deliveryBound } from './delivery-bound.js';
import { cpus, loadavg } from 'node:os';

export interface FleetBenchOptions {
  storages: number;
  subscribers: number;
  /** api processes the subscribers are spread over (round robin, as a load balancer would). */
  apiReplicas: number;
  /** Worker processes of the second fleet run (the first has one). */
  workers: number;
  /** Processes the subscribers' clients are spread over (default: one per 2 500). */
  clientProcesses?: number;
}

export const FLEET_DEFAULTS: FleetBenchOptions = {
  storages: Number(process.env.BENCH_FLEET_STORAGES ?? 1000),
  subscribers: Number(process.env.BENCH_SUBSCRIBERS ?? 1000),
  apiReplicas: 2,
  workers: 3,
};
const ARRAY = { pools: 10, volumes: 200 };
/**
 * The watched array: 20 pages of volumes, so a sync is about 30 events. Its driver answers each
 * call in 50 ms, as an array on a network would (a sync lasts about 1.5 s); then once with no
 * latency at all, a burst of events as fast as the worker can write, to show what queues up.
 */
const WATCHED = { pools: 10, volumes: 2000, pageSize: 100, latencyMs: 50 };
const WATCHED_SYNCS = 3;

interface Latency { p50: number; p99: number; max: number; count: number }

export interface FleetRun {
  workers: number;
  /** The syncAllStorages mutation's answer time (all tasks committed and published). */
  syncAllMs: number;
  /** From the request to the last task's end (finished_at). */
  allDoneSeconds: number;
  tasksPerSecond: number;
  succeeded: number;
  failed: number;
  queryLatencyMs: Latency;
}

export interface FleetBenchResult {
  storages: number;
  apiReplicas: number;
  array: typeof ARRAY;
  setupSeconds: number;
  fleet: FleetRun[];
  subscribers: {
    count: number;
    syncs: number;
    eventsPerSync: number;
    deliveries: number;
    complete: boolean;
    idleRssPerSubscriberKb: number;
    latencyMs: Latency;
    natsRoundTripMs: Omit<Latency, 'count'>;
    queryLatencyMs: Latency;
    clientProcesses: number;
    /** CPU over the paced syncs' delivery, from /proc: the apis', the clients' processes', per delivery. */
    cpu: { windowSeconds: number; apiSeconds: number; clientSeconds: number; apiUsPerDelivery: number; clientUsPerDelivery: number; loadAverage: [number, number] };
    /** What the machine's cores could carry if they did only this: deliveries/s and the p99 that allows. */
    bound: { cores: number; deliveriesPerSecond: number; p99Ms: number; syncSeconds: number };
    /** One sync of the same array with no driver latency: its events come in a burst. */
    burst: { syncMs: number; latencyMs: Latency; complete: boolean };
  };
  targets: { syncAllUnder2s: boolean; oneWorkerUnder180s: boolean; eventsInOrderP99Under500ms: boolean; queryP99Under100ms: boolean };
}

export async function runFleetBench(log: (line: string) => void, options: Partial<FleetBenchOptions> = {}): Promise<FleetBenchResult> {
  const { storages: STORAGES, subscribers: SUBSCRIBERS, apiReplicas, workers, clientProcesses } = { ...FLEET_DEFAULTS, ...options };
  const CLIENT_PROCESSES = clientProcesses ?? Math.ceil(SUBSCRIBERS / 2500);
  // The job store in PostgreSQL (no scheduler runs: registration only records the pollings).
  // Profiling: BENCH_NODE_OPTIONS is given to the system's processes (e.g. --cpu-prof).
  const t = testEnv('bench_fleet', { SCHEDULER_BACKEND: 'postgres', LOG_LEVEL: 'warn', NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '' });
  const started: DelfinProcess[] = [];
  const db = new pg.Client({ connectionString: t.databaseUrl });
  try {
    // The first api creates and migrates the database; the others start after it.
    const api = await startDelfin('api', t.env);
    started.push(api);
    const apis = [api, ...(await Promise.all(Array.from({ length: apiReplicas - 1 }, () => startDelfin('api', t.env))))];
    started.push(...apis.slice(1), await startDelfin('worker', t.env));
    await db.connect();
    log(`fleet: ${STORAGES} simulated arrays of ${ARRAY.pools} pools and ${ARRAY.volumes} volumes; ${SUBSCRIBERS} subscribers ` +
      `over ${apiReplicas} api process${apiReplicas > 1 ? 'es' : ''} (real api and worker processes, PostgreSQL, NATS JetStream)`);

    const s0 = Date.now();
    await registerFleet(api.url, STORAGES, ARRAY, 60, 50);
    await waitForIdle(api.url, 3_600_000);
    const setupSeconds = (Date.now() - s0) / 1000;
    log(`  set-up: ${STORAGES} arrays registered and their first syncs done in ${setupSeconds.toFixed(1)} s`);
    // Every production PostgreSQL runs autovacuum, which vacuums and analyzes tables after a load
    // like the set-up's; where this one has it off (the project's machines do), the bench does it
    // once in its place, so the runs below do not pay for setting hint bits on 2 million rows.
    if ((await db.query('show autovacuum')).rows[0].autovacuum !== 'on') {
      const v0 = Date.now();
      await db.query('vacuum analyze');
      log(`  (this PostgreSQL has autovacuum off: the bench vacuumed and analyzed the database after the set-up, in ${((Date.now() - v0) / 1000).toFixed(1)} s)`);
    }

    const fleet: FleetRun[] = [];
    const runFleet = async (workers: number) => {
      const probe = latencyProbe(api.url);
      const t0 = Date.now();
      const { syncAllStorages: tasks } = await gql(api.url, `mutation { syncAllStorages { id } }`);
      const syncAllMs = Date.now() - t0;
      await waitForIdle(api.url, 3_600_000);
      const latencies = await probe.stop();
      const { rows } = await db.query(
        `select count(*) filter (where status = 'SUCCEEDED')::int as succeeded, count(*) filter (where status <> 'SUCCEEDED')::int as failed,
                max(finished_at) as last from task where id = any($1::uuid[])`,
        [tasks.map((x: { id: string }) => x.id)],
      );
      const allDoneSeconds = (rows[0].last.getTime() - t0) / 1000;
      const run: FleetRun = {
        workers, syncAllMs, allDoneSeconds, tasksPerSecond: tasks.length / allDoneSeconds,
        succeeded: rows[0].succeeded, failed: rows[0].failed, queryLatencyMs: summary(latencies),
      };
      fleet.push(run);
      log(`  (a) ${workers} worker${workers > 1 ? 's' : ' '}: syncAllStorages answered in ${syncAllMs} ms, all ${tasks.length} done in ` +
        `${allDoneSeconds.toFixed(1)} s = ${run.tasksPerSecond.toFixed(0)} tasks/s (${run.succeeded} SUCCEEDED, ${run.failed} not); ` +
        `(c) query p50 ${fmt(run.queryLatencyMs.p50)} p99 ${fmt(run.queryLatencyMs.p99)}${resent(probe.failures)}`);
    };
    await runFleet(1);
    started.push(...(await Promise.all(Array.from({ length: workers - 1 }, () => startDelfin('worker', t.env)))));
    await runFleet(workers);

    // (b) One more array, watched by every subscriber while it syncs.
    const { registerStorage: watched } = await gql(api.url, REGISTER, { input: fakeInput('10.61.0.1', WATCHED, 'watched') });
    await waitForIdle(api.url, 60_000);
    const apiRss = () => apis.reduce((sum, a) => sum + rssBytes(a.proc.pid!), 0);
    const rss0 = apiRss();
    const subs = await openSubscribers(apis.map((a) => a.url), watched.id, SUBSCRIBERS, CLIENT_PROCESSES);
    await new Promise((r) => setTimeout(r, 2000)); // their subscribe messages are handled
    const idleRssPerSubscriberKb = (apiRss() - rss0) / SUBSCRIBERS / 1024;
    const probe = latencyProbe(api.url);
    const syncIds: string[] = [];
    const watch = async () => {
      const { syncStorage } = await gql(api.url, SYNC, { id: watched.id });
      syncIds.push(syncStorage.id);
      await subs.waitAll(syncStorage.id, 'SUCCEEDED', 120_000);
    };
    // CPU of the apis and of the clients' processes over the paced delivery, from /proc.
    const sumCpu = (pids: number[]) => pids.reduce((s, pid) => s + cpuSeconds(pid), 0);
    const apiPids = apis.map((a) => a.proc.pid!);
    const [w0, api0, client0, load0] = [Date.now(), sumCpu(apiPids), sumCpu(subs.pids), loadavg()[0]!];
    for (let i = 0; i < WATCHED_SYNCS; i++) await watch();
    const [w1, api1, client1, load1] = [Date.now(), sumCpu(apiPids), sumCpu(subs.pids), loadavg()[0]!];
    const queryLatencies = await probe.stop();
    await subs.mark();
    await gql(api.url, UPDATE_ACCESS, { id: watched.id, input: { extraAttributes: { ...WATCHED, latencyMs: 0 } } });
    const b0 = Date.now();
    await watch();
    const burstMs = Date.now() - b0;
    const { rows: finals } = await db.query(
      `select id, version, extract(epoch from finished_at - started_at)::float8 as seconds from task where id = any($1::uuid[])`, [syncIds]);
    const finalVersion = new Map(finals.map((r) => [r.id as string, Number(r.version)]));
    const report = await subs.report();
    // Complete and in order: every subscriber has each sync from its QUEUED to its SUCCEEDED, every version between.
    const completeFor = (ids: string[]) => report.errorCount === 0 && report.seen.every((tasks) =>
      ids.every((id) => {
        const mine = tasks.find(([task]) => task === id);
        return mine !== undefined && mine[1] === 'QUEUED' && mine[3] === 'SUCCEEDED' && !mine[5] && mine[4] === finalVersion.get(id);
      }),
    );
    const complete = completeFor(syncIds.slice(0, WATCHED_SYNCS));
    if (!complete) log(`      incomplete: ${describeMisses(report.seen, syncIds, finalVersion)}`);
    if (report.errorCount > 0) log(`      ${report.errorCount} errors at subscribers, the first: ${report.firstError}`);
    const paced = report.segments[0] ?? [];
    const deliveries = paced.length;
    const latency = summary(paced);
    const burst = { syncMs: burstMs, latencyMs: summary(report.segments[1] ?? []), complete: completeFor(syncIds.slice(WATCHED_SYNCS)) };
    await subs.close();
    const nats = await natsRoundTrip(t.env.NATS_URL!, `${t.namespace}.bench.roundtrip`);
    const eventsPerSync = deliveries / SUBSCRIBERS / WATCHED_SYNCS;
    const cpu = {
      windowSeconds: (w1 - w0) / 1000, apiSeconds: api1 - api0, clientSeconds: client1 - client0,
      apiUsPerDelivery: ((api1 - api0) / deliveries) * 1e6, clientUsPerDelivery: ((client1 - client0) / deliveries) * 1e6,
      loadAverage: [load0, load1] as [number, number],
    };
    const pacedSeconds = finals.filter((r) => syncIds.slice(0, WATCHED_SYNCS).includes(r.id)).map((r) => Number(r.seconds));
    const syncSeconds = pacedSeconds.reduce((a, b) => a + b, 0) / pacedSeconds.length;
    const bound = deliveryBound({ cores: cpus().length, cpuSecondsPerDelivery: (cpu.apiUsPerDelivery + cpu.clientUsPerDelivery) / 1e6, subscribers: SUBSCRIBERS, events: Math.round(eventsPerSync), syncSeconds });
    const subscribers = {
      count: SUBSCRIBERS, syncs: WATCHED_SYNCS, eventsPerSync: Number(eventsPerSync.toFixed(1)), deliveries, complete,
      idleRssPerSubscriberKb, latencyMs: latency, natsRoundTripMs: nats, queryLatencyMs: summary(queryLatencies), clientProcesses: CLIENT_PROCESSES, cpu, bound, burst,
    };
    log(`  (b) ${SUBSCRIBERS} subscribers × ${WATCHED_SYNCS} syncs at ${WATCHED.latencyMs} ms per driver call (${subscribers.eventsPerSync} events each): ${deliveries} deliveries, ` +
      `${complete ? 'every event, in order, at every subscriber' : 'INCOMPLETE: some subscriber missed or reordered events'}`);
    log(`      worker publish → client: p50 ${fmt(latency.p50)} p99 ${fmt(latency.p99)} max ${fmt(latency.max)}; ` +
      `raw NATS publish → subscribe: p50 ${fmt(nats.p50)} p99 ${fmt(nats.p99)}`);
    log(`      CPU over the delivery (${cpu.windowSeconds.toFixed(1)} s, load average ${cpu.loadAverage.map((l) => l.toFixed(1)).join(' → ')}): ` +
      `apis ${cpu.apiSeconds.toFixed(1)} s = ${cpu.apiUsPerDelivery.toFixed(1)} µs per delivery; ${CLIENT_PROCESSES} client process${CLIENT_PROCESSES > 1 ? 'es' : ''} ` +
      `${cpu.clientSeconds.toFixed(1)} s = ${cpu.clientUsPerDelivery.toFixed(1)} µs per delivery (${((cpu.clientSeconds / cpu.windowSeconds / CLIENT_PROCESSES) * 100).toFixed(0)} % of a core each)`);
    log(`      bound of this machine: ${bound.cores} cores doing only this carry ${bound.deliveriesPerSecond.toFixed(0)} deliveries/s, ` +
      `so ${SUBSCRIBERS} × ${Math.round(eventsPerSync)} events over a ${bound.syncSeconds.toFixed(1)} s sync give at best p99 ${fmt(bound.p99Ms)} (measured ${fmt(latency.p99)})`);
    log(`      one sync with no driver latency (${burst.syncMs} ms, a burst): p50 ${fmt(burst.latencyMs.p50)} p99 ${fmt(burst.latencyMs.p99)}, ` +
      `${burst.complete ? 'every event, in order' : 'INCOMPLETE'}`);
    log(`      api RSS per idle subscriber: ${idleRssPerSubscriberKb.toFixed(1)} KiB; (c) query during delivery p50 ${fmt(subscribers.queryLatencyMs.p50)} p99 ${fmt(subscribers.queryLatencyMs.p99)}${resent(probe.failures)}`);

    const queryP99 = Math.max(...fleet.map((f) => f.queryLatencyMs.p99), subscribers.queryLatencyMs.p99);
    const targets = {
      syncAllUnder2s: fleet.every((f) => f.syncAllMs < 2000),
      oneWorkerUnder180s: fleet[0]!.allDoneSeconds < 180 && fleet.every((f) => f.failed === 0),
      eventsInOrderP99Under500ms: latency.p99 < 500 && complete,
      queryP99Under100ms: queryP99 < 100,
    };
    log(`  targets: (a) syncAllStorages answers under 2 s: ${ok(targets.syncAllUnder2s)}; 1 worker all SUCCEEDED under 180 s: ${ok(targets.oneWorkerUnder180s)}; ` +
      `(b) in order, p99 under 500 ms: ${ok(targets.eventsInOrderP99Under500ms)}; (c) query p99 under 100 ms: ${ok(targets.queryP99Under100ms)} (worst ${fmt(queryP99)})`);
    return { storages: STORAGES, apiReplicas, array: ARRAY, setupSeconds, fleet, subscribers, targets };
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(started.reverse().map((p) => p.stop()));
    await t.cleanup();
  }
}

/** What the subscribers missed, counted by kind, for a run that was not complete. */
function describeMisses(seen: Array<Array<[string, string, number, string, number, boolean]>>, syncIds: string[], finalVersion: Map<string, number>): string {
  const kinds = new Map<string, number>();
  for (const tasks of seen) {
    for (const [n, id] of syncIds.entries()) {
      const mine = tasks.find(([task]) => task === id);
      const problem = !mine ? 'nothing' : mine[1] !== 'QUEUED' ? `began with ${mine[1]} v${mine[2]}`
        : mine[4] !== finalVersion.get(id) ? `ended at v${mine[4]} of ${finalVersion.get(id)}`
        : mine[5] ? 'a gap' : undefined;
      if (problem) kinds.set(`sync ${n + 1}: ${problem}`, (kinds.get(`sync ${n + 1}: ${problem}`) ?? 0) + 1);
    }
  }
  return [...kinds].map(([k, c]) => `${k} (${c} subscribers)`).join('; ');
}

function summary(values: number[]): Latency {
  return { p50: percentile(values, 50), p99: percentile(values, 99), max: values.length ? values.reduce((a, b) => (b > a ? b : a)) : NaN, count: values.length };
}

const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
const ok = (b: boolean) => (b ? 'met' : 'MISSED');

/** The probe's requests the api dropped (each sent again, its latency counted to the answer). */
function resent(failures: string[]): string {
  return failures.length ? ` (${failures.length} requests dropped and sent again: ${failures[0]})` : '';
}
