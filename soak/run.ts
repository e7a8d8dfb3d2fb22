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
process.once('SIGINT', () => {
  interrupted = true;
  console.error('soak: interrupted; removing what it started');
  void run.abort().finally(() => process.exit(130));
});

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
