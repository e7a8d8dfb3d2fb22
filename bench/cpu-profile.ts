// A CPU profile of a process the benchmarks start, where Node refuses --cpu-prof in NODE_OPTIONS:
//   BENCH_NODE_OPTIONS="--import /abs/path/dist/bench/cpu-profile.js" BENCH_CPU_PROFILE_DIR=/tmp/p
// Each process writes <dir>/<pid>.cpuprofile as it exits (open it in Chrome's DevTools).
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
process.on('exit', () => {
  // An in-process session answers synchronously, so the profile is written before the exit.
  session.post('Profiler.stop', (err, res) => {
    if (err) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${process.argv.slice(2).join('-') || 'node'}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
  });
});
