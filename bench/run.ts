// `npm run bench [-- SUITE ...]`: the benchmarks (suites `sync`, `scheduler`, `metrics`, `fleet`, `swordfish`, `lookups`, `inventory` and `alerts`, by
// default all, in that order), printed as they run and written to bench/results/ as JSON (one file per
// run and suite, named by time and commit, plus latest-<suite>.json) to compare across commits.
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { runSyncBench } from './sync-bench.js';
import { runSchedulerBench } from './scheduler-bench.js';
import { runMetricsBench } from './metrics-bench.js';
import { runFleetBench } from './fleet-bench.js';
import { runSwordfishBench } from './swordfish-bench.js';
import { runLookupsBench } from './lookups-bench.js';
import { runInventoryBench } from './inventory-bench.js';
import { runAlertsBench } from './alerts-bench.js';

const SUITES = {
  sync: runSyncBench,
  scheduler: runSchedulerBench,
  metrics: runMetricsBench,
  fleet: runFleetBench,
  swordfish: runSwordfishBench,
  lookups: runLookupsBench,
  inventory: runInventoryBench,
  alerts: runAlertsBench,
} as const;
type Suite = keyof typeof SUITES;

const asked = process.argv.slice(2);
const unknown = asked.filter((s) => !(s in SUITES));
if (unknown.length > 0) {
  console.error(`bench: unknown suite ${unknown.join(', ')}; the suites are ${Object.keys(SUITES).join(', ')} (default: all)`);
  process.exit(2);
}
const suites = (Object.keys(SUITES) as Suite[]).filter((s) => asked.length === 0 || asked.includes(s));

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
})();

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
console.log(`delfin-ts benchmarks, commit ${commit}, ${machine.cpus} cores, ${machine.memoryGb} GiB, Node ${machine.node}\n`);

mkdirSync('bench/results', { recursive: true });
for (const [i, suite] of suites.entries()) {
  if (i > 0) console.log('');
  const figures = await SUITES[suite]((line) => console.log(line));
  const result = { commit, at: new Date().toISOString(), machine, [suite]: figures };
  const stamp = result.at.replace(/[:.]/g, '-');
  writeFileSync(`bench/results/${suite}-${stamp}-${commit}.json`, JSON.stringify(result, null, 2) + '\n');
  writeFileSync(`bench/results/latest-${suite}.json`, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwritten to bench/results/latest-${suite}.json`);
}
