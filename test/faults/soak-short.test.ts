// The soak's short form (issue #19; the long one is `npm run soak`): the whole system as
// separate processes under the mixed load for about two minutes, with fewer faults (a SIGKILL
// every 20 s or so over every role, one each of the rarer kinds), then every check: no violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../../soak/soak.js';
import { formatReport } from '../../soak/report.js';
import { DEFAULTS } from '../../soak/options.js';

const SEED = Number(process.env.SOAK_SEED ?? 20261201);

test(`short soak: 2 minutes, seed ${SEED}, every check holds`, { timeout: 900_000 }, async (ctx) => {
  const run = runSoak({
    ...DEFAULTS,
    minutes: 2,
    seed: SEED,
    storages: 20,
    killEverySeconds: 20,
    rareFaultEverySeconds: 80,
    taskBoundSeconds: 240,
    subscribers: 40,
    fuzzOperations: 0,
  });
  const report = await run.report;
  for (const line of formatReport(report).split('\n')) ctx.diagnostic(line);
  assert.ok(Object.values(report.faults).reduce((a, b) => a + b, 0) >= 4, `faults were injected: ${JSON.stringify(report.faults)}`);
  assert.deepEqual(report.violations, [], `seed ${SEED}: the soak found violations`);
});
