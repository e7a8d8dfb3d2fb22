// `npm run soak [-- --minutes N --seed S ...]`: the soak (soak.ts), then the GraphQL fuzz 10 000
// operations deep; one report; exit code 1 on any violation, 2 on bad arguments. Ctrl-C removes
// everything the run started.
import { parseOptions, UsageError, DEFAULTS } from './options.js';
import { runSoak } from './soak.js';
import { formatReport } from './report.js';
import { runFuzz } from './fuzz.js';

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`soak: ${err.message}`);
  console.error(`usage: npm run soak -- [--minutes ${DEFAULTS.minutes}] [--seed ${DEFAULTS.seed}] [--storages ${DEFAULTS.storages}] [--kill-every ${DEFAULTS.killEverySeconds}] [--rare-fault-every ${DEFAULTS.rareFaultEverySeconds}] [--task-bound ${DEFAULTS.taskBoundSeconds}] [--subscribers ${DEFAULTS.subscribers}] [--fuzz ${DEFAULTS.fuzzOperations}]`);
  process.exit(2);
}

const run = runSoak(options, (line) => console.log(`[${new Date().toISOString()}] ${line}`));
let interrupted = false;
/** Ctrl-C, a kill, or a bug of the soak itself: what it started goes first, then the soak. */
const stopEverything = (why: string, code: number) => {
  if (interrupted) return;
  interrupted = true;
  console.error(`soak: ${why}; removing what it started`);
  void run.abort().finally(() => process.exit(code));
};
process.once('SIGINT', () => stopEverything('interrupted', 130));
process.once('SIGTERM', () => stopEverything('terminated', 143));
process.on('uncaughtException', (err) => stopEverything(`the soak itself failed: ${err.stack ?? err}`, 1));
process.on('unhandledRejection', (err) => stopEverything(`the soak itself failed: ${(err as Error)?.stack ?? err}`, 1));

try {
  const report = await run.report;
  console.log(`\n${formatReport(report)}`);
  let failed = report.violations.length > 0;
  if (options.fuzzOperations > 0 && !interrupted) {
    console.log(`\n# fuzz: ${options.fuzzOperations} operations, seed ${options.seed}`);
    const fuzz = await runFuzz(options.fuzzOperations, options.seed);
    console.log(fuzz.summary);
    console.log(`fuzz: ${fuzz.passed ? 'passed (0 internal errors, 0 crashes, 0 secrets in answers)' : 'FAILED'}`);
    failed ||= !fuzz.passed;
  }
  process.exit(failed ? 1 : 0);
} catch (err) {
  if (!interrupted) {
    console.error('soak: the run itself failed:', err);
    process.exit(1);
  }
}
