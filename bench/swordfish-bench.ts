// Benchmark of a Swordfish sync (issue #14): the SNIA Swordfish API Emulator holding 2 000
// volumes, synced by the real api and worker processes through the snia/swordfish driver. It
// reports the sync's requests per second and the time per request that is delfin's own, apart
// from the emulator's: the same GETs, read from the emulator's request log, are sent straight to
// the emulator in the same run with the driver's concurrency, which gives the emulator's time.
import https from 'node:https';
import { readFileSync, statSync } from 'node:fs';
import { testEnv } from '../test/support/env.js';
import { startDelfin } from '../test/support/system.js';
import { gql, subscribe } from '../test/support/graphql.js';
import { REGISTER, SYNC, TASK_EVENTS, TASKS } from '../test/support/operations.js';
import { EMULATOR_PASSWORD, EMULATOR_USER, skipWithoutEmulator, startEmulator, type Emulator } from '../test/support/swordfish.js';
import { cpuSeconds } from './process-cpu.js';

const VOLUMES = 2000;
const S1 = '/redfish/v1/Storage/IPAttachedDrive1';
/** The driver's default requests in flight per array (extraAttributes.maxConcurrentRequests). */
const CONCURRENCY = 4;

interface SyncRun {
  phase: string;
  /** The task's start to its end, as the worker recorded them. */
  wallMs: number;
  requests: number;
  requestsPerSecond: number;
  /** Wall time per request at the driver's concurrency (wallMs / requests). */
  msPerRequest: number;
  /** The worker process's CPU (user + system) from the request to the last event. */
  workerCpuMs: number;
  workerCpuMsPerRequest: number;
  stats: Record<string, number>;
}

export interface SwordfishBenchResult {
  skipped?: string;
  volumes?: number;
  populate?: { posts: number; ms: number; postsPerSecond: number };
  syncs?: SyncRun[];
  /** The resync's GETs sent straight to the emulator, CONCURRENCY at a time. */
  baseline?: { requests: number; concurrency: number; wallMs: number; requestsPerSecond: number; msPerRequest: number };
  /** Per request of the resync: its wall time less the emulator's (the baseline's). */
  delfinMsPerRequest?: number;
}

export async function runSwordfishBench(log: (line: string) => void): Promise<SwordfishBenchResult> {
  log(`Swordfish sync: the SNIA Swordfish API Emulator with ${VOLUMES} volumes, through the snia/swordfish driver`);
  const skip = skipWithoutEmulator();
  if (skip) {
    log(`  skipped: ${skip}`);
    return { skipped: skip };
  }
  const emu = await startEmulator();
  const t = testEnv('bench_swordfish', { LOG_LEVEL: 'warn', NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '' });
  let api, worker;
  try {
    const populate = await populateEmulator(emu, log);
    api = await startDelfin('api', t.env);
    worker = await startDelfin('worker', t.env);
    const workerPid = worker.proc.pid!;
    const input = {
      vendor: 'snia', model: 'swordfish', name: 'bench-swordfish',
      rest: { host: emu.host, port: emu.port, username: EMULATOR_USER, password: EMULATOR_PASSWORD, caCertificate: emu.certPem },
      extraAttributes: { storage: S1 },
    };
    const logOffset = () => statSync(`${emu.dir}/emulator.log`).size;
    const syncs: SyncRun[] = [];
    const measure = async (phase: string, start: () => Promise<string>) => {
      const from = logOffset();
      const cpu0 = cpuSeconds(workerPid);
      const watch = subscribe(api!.url, TASK_EVENTS, { taskId: await start() });
      await watch.completed;
      const workerCpuMs = (cpuSeconds(workerPid) - cpu0) * 1000;
      const task = watch.received.at(-1).taskEvents.task;
      if (task.status !== 'SUCCEEDED') throw new Error(`${phase}: ${task.status} ${task.error}`);
      const requests = requestsLogged(emu, from);
      const wallMs = Date.parse(task.finishedAt) - Date.parse(task.startedAt);
      const run: SyncRun = {
        phase, wallMs, requests: requests.length,
        requestsPerSecond: Math.round((requests.length / wallMs) * 1000),
        msPerRequest: wallMs / requests.length,
        workerCpuMs, workerCpuMsPerRequest: workerCpuMs / requests.length,
        stats: task.stats,
      };
      syncs.push(run);
      log(`  ${phase.padEnd(30)} ${fmt(wallMs)}  ${run.requests} requests, ${run.requestsPerSecond} requests/s, ` +
        `${run.msPerRequest.toFixed(2)} ms per request; worker CPU ${(workerCpuMs / 1000).toFixed(2)} s (${run.workerCpuMsPerRequest.toFixed(2)} ms per request)`);
      return requests;
    };
    await measure('(a) first sync (registration)', async () => {
      const { registerStorage } = await gql(api!.url, REGISTER, { input });
      const { tasks } = await gql(api!.url, TASKS, { storageId: registerStorage.id });
      return tasks.edges[0].node.id;
    });
    const id = (await gql(api.url, `{ storages { edges { node { id } } } }`)).storages.edges[0].node.id;
    const requests = await measure('(b) resync, no change', async () => (await gql(api!.url, SYNC, { id })).syncStorage.id);

    const gets = requests.filter((r) => r.method === 'GET').map((r) => r.path);
    const baseline = await directBaseline(emu, gets);
    log(`  ${'baseline: the same GETs, direct'.padEnd(30)} ${fmt(baseline.wallMs)}  ${baseline.requests} requests, ${baseline.requestsPerSecond} requests/s, ` +
      `${baseline.msPerRequest.toFixed(2)} ms per request (${CONCURRENCY} in flight, as the driver)`);
    const resync = syncs.at(-1)!;
    const delfinMsPerRequest = resync.msPerRequest - (baseline.wallMs / resync.requests);
    log(`  delfin's own time per request of (b): ${delfinMsPerRequest.toFixed(2)} ms (wall, over the emulator's); worker CPU ${resync.workerCpuMsPerRequest.toFixed(2)} ms`);
    return { volumes: VOLUMES, populate, syncs, baseline, delfinMsPerRequest };
  } finally {
    await worker?.stop();
    await api?.stop();
    await emu.destroy();
    await t.cleanup();
  }
}

/** The emulator's volumes, through its own API (one POST at a time: see createVolumes). */
async function populateEmulator(emu: Emulator, log: (line: string) => void) {
  const started = performance.now();
  await emu.createVolumes(S1, VOLUMES);
  const ms = performance.now() - started;
  const result = { posts: VOLUMES, ms, postsPerSecond: Math.round((VOLUMES / ms) * 1000) };
  log(`  ${'populating the emulator'.padEnd(30)} ${fmt(ms)}  ${VOLUMES} POSTs, ${result.postsPerSecond} POSTs/s (one at a time: concurrent POSTs lose members)`);
  return result;
}

/** The requests the emulator logged after byte `from` of its log (werkzeug's access lines). */
function requestsLogged(emu: Emulator, from: number): Array<{ method: string; path: string }> {
  const text = readFileSync(`${emu.dir}/emulator.log`).subarray(from).toString('utf8');
  return [...text.matchAll(/^INFO:werkzeug:.*"(GET|POST|PATCH|DELETE) (\S+) HTTP\/[\d.]+" \d+/gm)].map((m) => ({ method: m[1]!, path: m[2]! }));
}

/** The same GETs sent straight to the emulator, CONCURRENCY at a time, with Basic auth. */
async function directBaseline(emu: Emulator, paths: string[]) {
  const agent = new https.Agent({ ca: emu.certPem, keepAlive: true, maxSockets: CONCURRENCY });
  const auth = `Basic ${Buffer.from(`${EMULATOR_USER}:${EMULATOR_PASSWORD}`).toString('base64')}`;
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const req = https.request({ host: emu.host, port: emu.port, path, agent, headers: { Authorization: auth, Accept: 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < paths.length) await get(paths[next++]!);
    }));
  } finally {
    agent.destroy();
  }
  const wallMs = performance.now() - started;
  return { requests: paths.length, concurrency: CONCURRENCY, wallMs, requestsPerSecond: Math.round((paths.length / wallMs) * 1000), msPerRequest: wallMs / paths.length };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
