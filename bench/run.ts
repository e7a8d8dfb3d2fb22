// `npm run bench [-- SUITE ... | --only SUITE[,SUITE]] [--OPTION VALUE ...]`: the benchmarks (suites
// `sync`, `scheduler`, `scheduler-sim`, `metrics`, `fleet`, `swordfish`, `lookups`, `inventory` and
// `alerts`, by default all, in that order),
// printed as they run and written to bench/results/ as JSON (one file per run and suite, named by
// time and commit, plus latest-<suite>.json) to compare across commits. The defaults finish in
// minutes; the sizes of issue #17 are options, e.g.
//   npm run bench -- --only sync --volumes 1000000 --compare-volumes 100000
//   npm run bench -- --only fleet --storages 10000 --subscribers 10000 --api-replicas 2   # --client-processes N
//   npm run bench -- --only scheduler-sim --jobs 100000 --minutes 10
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { runSyncBench } from './sync-bench.js';
import { runSchedulerBench } from './scheduler-bench.js';
import { runSchedulerSim } from './scheduler-sim.js';
import { runMetricsBench } from './metrics-bench.js';
import { runFleetBench } from './fleet-bench.js';
import { runSwordfishBench } from './swordfish-bench.js';
import { runLookupsBench } from './lookups-bench.js';
import { runInventoryBench } from './inventory-bench.js';
import { runAlertsBench } from './alerts-bench.js';

/** Every option a suite reads (numbers unless said); each suite takes those it knows. */
const OPTIONS = {
  only: { type: 'string' },
  volumes: { type: 'string' },
  pools: { type: 'string' },
  'compare-volumes': { type: 'string' },
  system: { type: 'string' },
  storages: { type: 'string' },
  subscribers: { type: 'string' },
  'api-replicas': { type: 'string' },
  'client-processes': { type: 'string' },
  workers: { type: 'string' },
  jobs: { type: 'string' },
  minutes: { type: 'string' },
  'interval-seconds': { type: 'string' },
  'poll-ms': { type: 'string' },
  store: { type: 'string' },
  schedulers: { type: 'string' },
} as const;

export type BenchOptions = Record<string, string | number | undefined>;

const SUITES: Record<string, (log: (line: string) => void, options: BenchOptions) => Promise<unknown>> = {
  sync: (log, o) => runSyncBench(log, pick(o, { volumes: 'volumes', pools: 'pools', compareVolumes: 'compare-volumes', system: 'system' })),
  scheduler: (log, o) => runSchedulerBench(log, pick(o, { storages: 'storages', minutes: 'minutes' })),
  'scheduler-sim': (log, o) => runSchedulerSim(log, pick(o, { jobs: 'jobs', minutes: 'minutes', intervalSeconds: 'interval-seconds', pollMs: 'poll-ms', store: 'store', schedulers: 'schedulers' })),
  metrics: (log) => runMetricsBench(log),
  fleet: (log, o) => runFleetBench(log, pick(o, { storages: 'storages', subscribers: 'subscribers', apiReplicas: 'api-replicas', workers: 'workers', clientProcesses: 'client-processes' })),
  swordfish: (log) => runSwordfishBench(log),
  lookups: (log) => runLookupsBench(log),
  inventory: (log) => runInventoryBench(log),
  alerts: (log) => runAlertsBench(log),
};

const { values, positionals } = parseArgs({ options: OPTIONS, allowPositionals: true });
const asked = [...positionals, ...(values.only?.split(',') ?? [])].filter(Boolean);
const unknown = asked.filter((s) => !(s in SUITES));
if (unknown.length > 0) {
  console.error(`bench: unknown suite ${unknown.join(', ')}; the suites are ${Object.keys(SUITES).join(', ')} (default: all)`);
  process.exit(2);
}
const suites = Object.keys(SUITES).filter((s) => asked.length === 0 || asked.includes(s));

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
})();

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
console.log(`delfin-ts benchmarks, commit ${commit}, ${machine.cpus} cores, ${machine.memoryGb} GiB, Node ${machine.node}, ` +
  `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

mkdirSync('bench/results', { recursive: true });
for (const [i, suite] of suites.entries()) {
  if (i > 0) console.log('');
  const loadAverage = loadavg()[0];
  const figures = await SUITES[suite]!((line) => console.log(line), values);
  const result = { commit, at: new Date().toISOString(), machine, loadAverageAtStart: loadAverage, options: values, [suite]: figures };
  const stamp = result.at.replace(/[:.]/g, '-');
  writeFileSync(`bench/results/${suite}-${stamp}-${commit}.json`, JSON.stringify(result, null, 2) + '\n');
  writeFileSync(`bench/results/latest-${suite}.json`, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwritten to bench/results/latest-${suite}.json`);
}

/** The options a suite knows, renamed to its fields; numbers where they are numbers. */
function pick(given: BenchOptions, names: Record<string, string>): Record<string, never> {
  const out: Record<string, string | number> = {};
  for (const [field, option] of Object.entries(names)) {
    const v = given[option];
    if (v === undefined) continue;
    const n = Number(String(v).replace(/_/g, ''));
    out[field] = Number.isFinite(n) && String(v).trim() !== '' ? n : String(v);
  }
  return out as Record<string, never>;
}
