// Benchmark of performance collection (issue #5): one collection cycle of 100 simulated storages,
// each 1 array + 100 pools + 2 000 volumes, 15 metrics each (3.15 million series), on real
// processes and services: a `delfin api` and a `delfin worker` process, PostgreSQL, NATS.
//
// The cycle: a COLLECT_PERFORMANCE task per storage and resource type (300 tasks), queued at
// once as the scheduler's polls would queue them; the worker asks the simulator for the latest
// 300 s window (plus the 60 s overlap: about 7 samples a series), publishes the batches on NATS
// (the NATS exporter), and the Prometheus exporter, fed from NATS exactly as in an api process,
// sets its gauges. The exporter runs in a process of its own (bench/exporter-process.ts) that
// reports what it holds, so the end of the cycle is observable: every task ended and the
// exporter received every sample and holds every series.
//
// Baseline, measured in the same run: the raw rate of prom-client's Gauge.set() with the same six
// labels on the same number of series. Target: the cycle within 10 % of a 300 s interval (30 s),
// the worker's and the exporter's peak RSS each under 1 GB.
import { connect } from '@nats-io/transport-node';
import { Gauge, Registry } from 'prom-client';
import pg from 'pg';
import { testEnv } from '../test/support/env.js';
import { startDelfin, type DelfinProcess } from '../test/support/system.js';
import { gql } from '../test/support/graphql.js';
import { fakeInput, REGISTER } from '../test/support/operations.js';
import { policyFile } from '../test/support/policy-file.js';
import { UPDATE_METRICS_CONFIG, polling } from '../test/support/metrics.js';
import { busNames, TaskEventPublisher, TaskQueue } from '../src/bus/index.js';
import { Sql } from '../src/db/sql.js';
import { TaskEnqueuer } from '../src/tasks/queueing/enqueue.js';
import { requestCollection } from '../src/tasks/queueing/request-collection.js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ResourceType } from '../src/drivers/driver.js';
import { peakRssBytes, resetPeakRss } from './process-memory.js';
import { cpuSeconds } from './process-cpu.js';

const STORAGES = Number(process.env.BENCH_METRICS_STORAGES ?? 100);
const ARRAY = { pools: 100, volumes: 2000 };
const METRICS = 15;
const INTERVAL = 300;
const TYPES: ResourceType[] = ['STORAGE', 'STORAGE_POOL', 'VOLUME'];
const MB = 2 ** 20;

export interface MetricsBenchResult {
  storages: number;
  series: number;
  samples: number;
  setupSeconds: number;
  baseline: { setsPerSecond: number; seconds: number };
  cycle: { seconds: number; seriesPerSecond: number; samplesPerSecond: number; overBaseline: number; shareOfInterval: number; tasksFailed: number };
  peakRssMb: { worker: number; exporter: number };
  workerCpuSeconds: number;
  targets: { cycleWithin10PercentOfInterval: boolean; rssUnder1Gb: boolean };
}

/** prom-client's Gauge.set() alone, on as many series with the six labels as the cycle sets. */
function measureBaseline(series: number): { setsPerSecond: number; seconds: number } {
  const registry = new Registry();
  const names = ['storage_id', 'storage_name', 'serial_number', 'resource_type', 'resource_id', 'resource_name'];
  const gauges = Array.from({ length: METRICS }, (_, i) => new Gauge({ name: `baseline_${i}`, help: 'baseline', labelNames: names, registers: [registry] }));
  const resources = series / METRICS;
  const start = performance.now();
  for (let r = 0; r < resources; r++) {
    const s = r % STORAGES;
    const labels = { storage_id: `storage-${s}`, storage_name: `bench-${s}`, serial_number: `SN${s}`, resource_type: 'volume', resource_id: `vol-${r}`, resource_name: `volume ${r}` };
    for (const g of gauges) g.set(labels, r);
  }
  const seconds = (performance.now() - start) / 1000;
  registry.clear();
  return { setsPerSecond: series / seconds, seconds };
}

export async function runMetricsBench(log: (line: string) => void): Promise<MetricsBenchResult> {
  const policy = policyFile({ metrics: { exporters: { prometheus: { enabled: false }, nats: { enabled: true }, graphql: { enabled: false } } } });
  const t = testEnv('bench_metrics', { DELFIN_CONFIG: policy, SCHEDULER_BACKEND: 'postgres', LOG_LEVEL: 'warn' });
  const started: DelfinProcess[] = [];
  const db = new pg.Client({ connectionString: t.databaseUrl });
  const sql = new Sql(t.databaseUrl);
  const nc = await connect({ servers: t.env.NATS_URL });
  try {
    const api = await startDelfin('api', t.env);
    const worker = await startDelfin('worker', t.env);
    started.push(api, worker);
    await db.connect();

    const setupStart = performance.now();
    const ids = await registerAll(api.url);
    await waitFor(db, `select count(*)::int as n from task where kind = 'SYNC_RESOURCES' and status = 'SUCCEEDED'`, STORAGES, 600_000);
    for (const id of ids) {
      await gql(api.url, UPDATE_METRICS_CONFIG, { storageId: id, input: { arrayPolling: polling(true, INTERVAL), poolPolling: polling(true, INTERVAL), volumePolling: polling(true, INTERVAL) } });
    }
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const series = STORAGES * (1 + ARRAY.pools + ARRAY.volumes) * METRICS;
    log(`  set-up: ${STORAGES} storages of ${ARRAY.pools} pools and ${ARRAY.volumes} volumes registered and synced in ${setupSeconds.toFixed(1)} s`);

    const baseline = measureBaseline(series);
    log(`  baseline: prom-client Gauge.set() on ${(series / 1e6).toFixed(2)} M series: ${(baseline.setsPerSecond / 1e6).toFixed(2)} M sets/s (${baseline.seconds.toFixed(1)} s)`);
    (globalThis as { gc?: () => void }).gc?.();

    // The Prometheus exporter as an api process runs it, fed from NATS, in its own process.
    const probe = await startExporter(t.env.NATS_URL!, t.namespace);
    started.push({ stop: async () => void probe.child.kill() } as unknown as DelfinProcess);

    const queue = await TaskQueue.open(nc, busNames(t.namespace), { ackWaitSeconds: 30 });
    const enqueuer = new TaskEnqueuer(sql, queue, new TaskEventPublisher(nc, busNames(t.namespace)));
    const workerPid = worker.proc.pid!;
    resetPeakRss(workerPid);
    resetPeakRss(probe.child.pid!);
    const cpuBefore = cpuSeconds(workerPid);
    const cycleStart = performance.now();
    for (const id of ids) for (const type of TYPES) await requestCollection(sql, enqueuer, id, type);
    await waitFor(db, `select count(*)::int as n from task where kind = 'COLLECT_PERFORMANCE' and status in ('SUCCEEDED', 'FAILED', 'CANCELLED')`, STORAGES * TYPES.length, 600_000);
    const [{ samples, failed }] = (
      await db.query(`select coalesce(sum((collection->>'samples')::bigint), 0)::bigint as samples,
        count(*) filter (where status <> 'SUCCEEDED')::int as failed from task where kind = 'COLLECT_PERFORMANCE'`)
    ).rows;
    const expected = Number(samples);
    const deadline = Date.now() + 600_000;
    while ((probe.state.received < expected || probe.state.series < series) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - cycleStart) / 1000;
    const workerCpu = cpuSeconds(workerPid) - cpuBefore;
    const peak = { worker: peakRssBytes(workerPid) / MB, exporter: peakRssBytes(probe.child.pid!) / MB };
    if (probe.state.series < series) log(`  WARNING: the exporter holds ${probe.state.series} of ${series} series`);

    const cycle = {
      seconds,
      seriesPerSecond: series / seconds,
      samplesPerSecond: expected / seconds,
      overBaseline: series / seconds / baseline.setsPerSecond,
      shareOfInterval: seconds / INTERVAL,
      tasksFailed: Number(failed),
    };
    log(`  cycle: 300 polls, ${(series / 1e6).toFixed(2)} M series, ${(expected / 1e6).toFixed(1)} M samples in ${seconds.toFixed(1)} s` +
      ` = ${(cycle.seriesPerSecond / 1e6).toFixed(2)} M series/s, ${(cycle.samplesPerSecond / 1e6).toFixed(2)} M samples/s; ${(cycle.overBaseline * 100).toFixed(0)} % of the raw set() rate`);
    log(`  ${(cycle.shareOfInterval * 100).toFixed(1)} % of the ${INTERVAL} s interval (target: within 10 %); failed tasks: ${cycle.tasksFailed}`);
    log(`  peak RSS: worker ${peak.worker.toFixed(0)} MB, exporter process ${peak.exporter.toFixed(0)} MB (target: under 1 GB); worker CPU ${workerCpu.toFixed(1)} s`);
    return {
      storages: STORAGES,
      series,
      samples: expected,
      setupSeconds,
      baseline,
      cycle,
      peakRssMb: peak,
      workerCpuSeconds: workerCpu,
      targets: { cycleWithin10PercentOfInterval: cycle.shareOfInterval <= 0.1 && cycle.tasksFailed === 0, rssUnder1Gb: peak.worker < 1024 && peak.exporter < 1024 },
    };
  } finally {
    for (const p of started.reverse()) await p.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    await sql.close().catch(() => undefined);
    await nc.close().catch(() => undefined);
    await t.cleanup().catch(() => undefined);
  }
}

interface ExporterProbe {
  child: ChildProcess;
  state: { received: number; series: number };
}

async function startExporter(natsUrl: string, namespace: string): Promise<ExporterProbe> {
  const child = fork(fileURLToPath(new URL('./exporter-process.js', import.meta.url)), [natsUrl, namespace], { stdio: 'inherit' });
  const probe: ExporterProbe = { child, state: { received: 0, series: 0 } };
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { ready?: boolean; received?: number; series?: number }) => {
      if (m.ready) resolve();
      else probe.state = { received: m.received!, series: m.series! };
    });
    child.on('exit', (code) => reject(new Error(`the exporter process exited (${code})`)));
  });
  return probe;
}

async function registerAll(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < STORAGES; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, STORAGES - i) }, (_, j) =>
        gql(url, REGISTER, { input: fakeInput(`metrics-bench-${i + j}.example`, { ...ARRAY, seed: i + j }, `bench-${i + j}`) }),
      ),
    );
    ids.push(...batch.map((b) => b.registerStorage.id as string));
  }
  return ids;
}

async function waitFor(db: pg.Client, query: string, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await db.query(query)).rows[0].n < n) {
    if (Date.now() > deadline) throw new Error(`timed out: ${query}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
