// Benchmark of the resource sync (issue #3) on real processes and services: an array of 100
// pools and 100 000 volumes, synced (a) the first time, (b) again without change, (c) again
// after churn, against a COPY of the same rows measured in the same run on the same database.
import { FakeDriver } from '../src/drivers/fake/fake-driver.js';
import { diffRevisions } from '../src/drivers/fake/fake-churn.js';
import { parseFakeOptions } from '../src/drivers/fake/fake-options.js';
import type { AccessInfo } from '../src/drivers/driver.js';
import { testEnv } from '../test/support/env.js';
import { startDelfin } from '../test/support/system.js';
import { gql, subscribe } from '../test/support/graphql.js';
import { REGISTER, SYNC, TASK_EVENTS, TASKS, UPDATE_ACCESS } from '../test/support/operations.js';
import { copyBaseline } from './copy-baseline.js';
import { peakRssBytes, resetPeakRss } from './process-memory.js';
import { cpuSeconds } from './process-cpu.js';

export interface PhaseResult {
  phase: string;
  /** The sync's wall time: from the task's start to its end, as the worker recorded them. */
  wallMs: number;
  /** What the client saw: from its mutation to the task's last event (adds queueing and API time). */
  clientMs: number;
  rowsWritten: number;
  rowsPerSecond: number;
  workerPeakRssMb: number;
  /**
   * CPU time the worker process used from the request to the task's last event (user +
   * system, 10 ms ticks): what the sync costs it, far less sensitive than wall time to other
   * load on a shared machine.
   */
  workerCpuMs: number;
  stats?: Record<string, number>;
}

export interface SyncBenchResult {
  volumes: number;
  pools: number;
  baselineCopyMs: number;
  phases: PhaseResult[];
  ratios: { firstSyncVsCopy: number; noChangeVsFirst: number; churnVsFirst: number };
  targets: { firstSyncWithin3xCopy: boolean; resyncsUnderThirdOfFirst: boolean; workerRssUnder300Mb: boolean };
}

const POOLS = 100;
const VOLUMES = 100_000;
/** A large array's hardware: synced in every run, so the bench covers the hardware phases too. */
const HARDWARE = { disks: 1000, controllers: 4, portsPerController: 16 };

export async function runSyncBench(log: (line: string) => void): Promise<SyncBenchResult> {
  const t = testEnv('bench_sync', { LOG_LEVEL: 'warn', NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '' });
  const api = await startDelfin('api', t.env);
  const worker = await startDelfin('worker', t.env);
  const attrs = { pools: POOLS, volumes: VOLUMES, ...HARDWARE, pageSize: 1000, seed: 42 };
  const access: AccessInfo = { rest: { host: '10.99.0.1', port: 8443, username: 'bench', password: 'bench' }, extraAttributes: attrs };
  try {
    const phases: PhaseResult[] = [];
    const measure = async (phase: string, start: () => Promise<string>, rowsWritten: (stats: Record<string, number>) => number) => {
      resetPeakRss(worker.proc.pid!);
      const cpu0 = cpuSeconds(worker.proc.pid!);
      const started = performance.now();
      // The end arrives as the task's last event (a client's view), not at a polling tick.
      const watch = subscribe(api.url, TASK_EVENTS, { taskId: await start() });
      await watch.completed;
      const clientMs = performance.now() - started;
      const workerCpuMs = (cpuSeconds(worker.proc.pid!) - cpu0) * 1000;
      const task = watch.received.at(-1).taskEvents.task;
      if (task.status !== 'SUCCEEDED') throw new Error(`${phase}: ${task.status} ${task.error}`);
      const wallMs = Date.parse(task.finishedAt) - Date.parse(task.startedAt);
      const rows = rowsWritten(task.stats);
      const result = {
        phase, wallMs, clientMs, rowsWritten: rows,
        rowsPerSecond: Math.round(((POOLS + VOLUMES) / wallMs) * 1000),
        workerPeakRssMb: peakRssBytes(worker.proc.pid!) / 2 ** 20,
        workerCpuMs,
        stats: task.stats,
      };
      phases.push(result);
      log(`  ${phase.padEnd(34)} ${fmtMs(wallMs)} (client ${fmtMs(clientMs).trim()})  ${String(result.rowsPerSecond).padStart(8)} rows/s  ` +
        `worker CPU ${(workerCpuMs / 1000).toFixed(2)} s, peak RSS ${result.workerPeakRssMb.toFixed(0)} MB  (rows written: ${rows})`);
    };
    const written = (s: Record<string, number>) => Object.values(s).reduce((a, b) => a + b, 0);

    log(`sync of ${POOLS} pools, ${VOLUMES} volumes, ${HARDWARE.disks} disks, ${HARDWARE.controllers} controllers and ` +
      `${HARDWARE.controllers * HARDWARE.portsPerController} ports (real api and worker processes, PostgreSQL, NATS JetStream)`);
    log('  wall time of each sync from its start to its end in the worker; in brackets, from the client\'s request to the last event');
    let storageId = '';
    await measure('(a) first full sync', async () => {
      const { registerStorage } = await gql(api.url, REGISTER, { input: { vendor: 'fake_storage', model: 'fake_driver', rest: access.rest, extraAttributes: attrs } });
      storageId = registerStorage.id;
      const { tasks } = await gql(api.url, TASKS, { storageId });
      return tasks.edges[0].node.id as string;
    }, written);
    await measure('(b) resync, no change', async () => (await gql(api.url, SYNC, { id: storageId })).syncStorage.id, written);
    const churn = diffRevisions(parseFakeOptions(access), 0, 1);
    const churned = churn.added.length + churn.changed.length + churn.removed.length;
    // The array changes (the simulator's next revision), then the resync is measured.
    await gql(api.url, UPDATE_ACCESS, { id: storageId, input: { extraAttributes: { ...attrs, revision: 1 } } });
    await measure(`(c) resync, ${((churned / VOLUMES) * 100).toFixed(1)} % churn`, async () => (await gql(api.url, SYNC, { id: storageId })).syncStorage.id, written);

    const driver = new FakeDriver(access);
    const pages = (async function* () {
      for await (const page of driver.listVolumes()) yield page.items;
    })();
    const baselineCopyMs = await copyBaseline(t.databaseUrl, storageId, pages);
    log(`  ${'baseline: the same rows with one COPY'.padEnd(34)} ${fmtMs(baselineCopyMs)}  ${String(Math.round((VOLUMES / baselineCopyMs) * 1000)).padStart(8)} rows/s`);

    const [a, b, c] = phases as [PhaseResult, PhaseResult, PhaseResult];
    const ratios = { firstSyncVsCopy: a.wallMs / baselineCopyMs, noChangeVsFirst: b.wallMs / a.wallMs, churnVsFirst: c.wallMs / a.wallMs };
    const targets = {
      firstSyncWithin3xCopy: ratios.firstSyncVsCopy <= 3,
      resyncsUnderThirdOfFirst: ratios.noChangeVsFirst < 1 / 3 && ratios.churnVsFirst < 1 / 3,
      workerRssUnder300Mb: phases.every((p) => p.workerPeakRssMb < 300),
    };
    log(`  ratios: (a)/COPY ${ratios.firstSyncVsCopy.toFixed(2)} (target ≤ 3: ${ok(targets.firstSyncWithin3xCopy)}), ` +
      `(b)/(a) ${ratios.noChangeVsFirst.toFixed(2)}, (c)/(a) ${ratios.churnVsFirst.toFixed(2)} (target < 0.33: ${ok(targets.resyncsUnderThirdOfFirst)}), ` +
      `worker peak RSS < 300 MB: ${ok(targets.workerRssUnder300Mb)}`);
    return { volumes: VOLUMES, pools: POOLS, baselineCopyMs, phases, ratios, targets };
  } finally {
    await worker.stop();
    await api.stop();
    await t.cleanup();
  }
}

const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
const ok = (b: boolean) => (b ? 'met' : 'MISSED');
