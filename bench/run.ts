// `npm run bench`: every benchmark, printed as it runs and written to bench/results/ as JSON
// (one file per run, named by time and commit, plus latest-*.json) to compare across commits.
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { runSyncBench } from './sync-bench.js';

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
})();

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
console.log(`delfin-ts benchmarks, commit ${commit}, ${machine.cpus} cores, ${machine.memoryGb} GiB, Node ${machine.node}\n`);

const sync = await runSyncBench((line) => console.log(line));
const result = { commit, at: new Date().toISOString(), machine, sync };
mkdirSync('bench/results', { recursive: true });
const stamp = result.at.replace(/[:.]/g, '-');
writeFileSync(`bench/results/sync-${stamp}-${commit}.json`, JSON.stringify(result, null, 2) + '\n');
writeFileSync('bench/results/latest-sync.json', JSON.stringify(result, null, 2) + '\n');
console.log(`\nwritten to bench/results/latest-sync.json`);
