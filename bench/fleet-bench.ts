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

export interface FleetBenchOptions {
  storages: number;
  subscribers: number;
  /** api processes the subscribers are spread over (round robin, as a load balancer would). */
  apiReplicas: number;
  /** Worker processes of the second fleet run (the first has one). */
  workers: number;
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
    /** One sync of the same array with no driver latency: its events come in a burst. */
    burst: { syncMs: number; latencyMs: Latency; complete: boolean };
  };
  targets: { syncAllUnder2s: boolean; oneWorkerUnder180s: boolean; eventsInOrderP99Under500ms: boolean; queryP99Under100ms: boolean };
}

export async function runFleetBench(log: (line: string) => void, options: Partial<FleetBenchOptions> = {}): Promise<FleetBenchResult> {
  const { storages: STORAGES, subscribers: SUBSCRIBERS, apiReplicas, workers } = { ...FLEET_DEFAULTS, ...options };
  // The job store in PostgreSQL (no scheduler runs: registration only records the pollings).
  const t = testEnv('bench_fleet', { SCHEDULER_BACKEND: 'postgres', LOG_LEVEL: 'warn' });
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
    const subs = await openSubscribers(apis.map((a) => a.url), watched.id, SUBSCRIBERS);
    await new Promise((r) => setTimeout(r, 2000)); // their subscribe messages are handled
    const idleRssPerSubscriberKb = (apiRss() - rss0) / SUBSCRIBERS / 1024;
    const probe = latencyProbe(api.url);
    const syncIds: string[] = [];
    const watch = async () => {
      const { syncStorage } = await gql(api.url, SYNC, { id: watched.id });
      syncIds.push(syncStorage.id);
      await subs.waitAll((e) => e.task.id === syncStorage.id && e.type === 'SUCCEEDED', 120_000);
    };
    for (let i = 0; i < WATCHED_SYNCS; i++) await watch();
    const queryLatencies = await probe.stop();
    const paced = subs.latencies.length;
    await gql(api.url, UPDATE_ACCESS, { id: watched.id, input: { extraAttributes: { ...WATCHED, latencyMs: 0 } } });
    const b0 = Date.now();
    await watch();
    const burstMs = Date.now() - b0;
    const { rows: finals } = await db.query(`select id, version from task where id = any($1::uuid[])`, [syncIds]);
    const finalVersion = new Map(finals.map((r) => [r.id as string, Number(r.version)]));
    // Complete and in order: every subscriber has each sync from its QUEUED to its SUCCEEDED, every version between.
    const completeFor = (ids: string[]) => subs.errors.length === 0 && subs.seen.every((events) =>
      ids.every((id) => {
        const mine = events.filter(([task]) => task === id);
        const versions = mine.map(([, v]) => v);
        return mine[0]?.[2] === 'QUEUED' && mine.at(-1)?.[2] === 'SUCCEEDED' &&
          versions.every((v, i) => v === versions[0]! + i) && versions.at(-1) === finalVersion.get(id);
      }),
    );
    const complete = completeFor(syncIds.slice(0, WATCHED_SYNCS));
    if (!complete) log(`      incomplete: ${describeMisses(subs.seen, syncIds, finalVersion)}`);
    if (subs.errors.length > 0) log(`      ${subs.errors.length} errors at subscribers, the first: ${JSON.stringify(subs.errors[0]).slice(0, 300)}`);
    const deliveries = paced;
    const latency = summary(subs.latencies.slice(0, paced));
    const burst = { syncMs: burstMs, latencyMs: summary(subs.latencies.slice(paced)), complete: completeFor(syncIds.slice(WATCHED_SYNCS)) };
    await subs.close();
    const nats = await natsRoundTrip(t.env.NATS_URL!, `${t.namespace}.bench.roundtrip`);
    const subscribers = {
      count: SUBSCRIBERS, syncs: WATCHED_SYNCS, eventsPerSync: Number((deliveries / SUBSCRIBERS / WATCHED_SYNCS).toFixed(1)), deliveries, complete,
      idleRssPerSubscriberKb, latencyMs: latency, natsRoundTripMs: nats, queryLatencyMs: summary(queryLatencies), burst,
    };
    log(`  (b) ${SUBSCRIBERS} subscribers × ${WATCHED_SYNCS} syncs at ${WATCHED.latencyMs} ms per driver call (${subscribers.eventsPerSync} events each): ${deliveries} deliveries, ` +
      `${complete ? 'every event, in order, at every subscriber' : 'INCOMPLETE: some subscriber missed or reordered events'}`);
    log(`      worker publish → client: p50 ${fmt(latency.p50)} p99 ${fmt(latency.p99)} max ${fmt(latency.max)}; ` +
      `raw NATS publish → subscribe: p50 ${fmt(nats.p50)} p99 ${fmt(nats.p99)}`);
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
function describeMisses(seen: Array<Array<[string, number, string]>>, syncIds: string[], finalVersion: Map<string, number>): string {
  const kinds = new Map<string, number>();
  for (const events of seen) {
    for (const [n, id] of syncIds.entries()) {
      const mine = events.filter(([task]) => task === id);
      const problem = mine.length === 0 ? 'nothing' : mine[0]![2] !== 'QUEUED' ? `began with ${mine[0]![2]} v${mine[0]![1]}`
        : mine.at(-1)![1] !== finalVersion.get(id) ? `ended at v${mine.at(-1)![1]} of ${finalVersion.get(id)}`
        : mine.some(([, v], i) => v !== mine[0]![1] + i) ? 'a gap' : undefined;
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
