// Scale out (#8): syncAllStorages on a fleet of simulated arrays (10 pools, 200 volumes each)
// queues one sync per storage at once, two workers run them all to SUCCEEDED with exact counts,
// and the api answers queries meanwhile. (The benchmark `npm run bench -- fleet` does 1 000.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, UPDATE_ACCESS } from '../support/operations.js';
import { SYNC_ALL } from '../support/tasks.js';
import { withDb } from '../support/db.js';
import { fleetHost, latencyProbe, percentile, registerFleet, waitForIdle } from '../support/fleet.js';
import { countVolumes, diffRevisions } from '../../src/drivers/fake/fake-churn.js';
import { parseFakeOptions } from '../../src/drivers/fake/fake-options.js';

const FLEET = Number(process.env.TEST_FLEET ?? 200);
const ATTRS = { pools: 10, volumes: 200 };
// The job store in PostgreSQL: registration schedules each array's performance polling there (no
// scheduler runs here, so none fires); without a reachable store each registration waits for it.
const t = testEnv('fleet', { SCHEDULER_BACKEND: 'postgres' });
let api: DelfinProcess;
const workers: DelfinProcess[] = [];

before(async () => {
  api = await startDelfin('api', t.env);
  workers.push(...(await Promise.all([startDelfin('worker', t.env), startDelfin('worker', t.env)])));
});

after(async () => {
  await Promise.all([...workers, api].map((p) => p.stop()));
  await t.cleanup();
});

const optionsOf = (n: number, revision: number) => {
  const input = fakeInput(fleetHost(70, n), { ...ATTRS, revision });
  return parseFakeOptions({ rest: input.rest, extraAttributes: input.extraAttributes });
};

test(`syncAllStorages on ${FLEET} storages: queued at once, all SUCCEEDED with exact counts, the api responsive meanwhile`, async (ctx) => {
  const ids = await registerFleet(api.url, FLEET, ATTRS, 70);
  await waitForIdle(api.url, 180_000);
  // Every fourth array changes (the simulator's next revision), so its sync has work to count.
  const changed = new Set(ids.filter((_, n) => n % 4 === 0));
  await Promise.all([...changed].map((id) => gql(api.url, UPDATE_ACCESS, { id, input: { extraAttributes: { ...ATTRS, revision: 1 } } })));

  const probe = latencyProbe(api.url);
  const t0 = performance.now();
  const { syncAllStorages: tasks } = await gql(api.url, SYNC_ALL);
  const queuedMs = performance.now() - t0;
  await waitForIdle(api.url, 180_000);
  const latencies = await probe.stop();
  ctx.diagnostic(`syncAllStorages answered in ${queuedMs.toFixed(0)} ms; all done in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
    `storages query during the run: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms (${latencies.length} queries)`);

  assert.equal(tasks.length, FLEET, 'one task per storage');
  assert.deepEqual(tasks.map((x: any) => x.storageId).sort(), [...ids].sort(), 'every storage once');
  assert.ok(tasks.every((x: any) => x.status === 'QUEUED'), 'nothing was open before: every task is new');
  assert.ok(queuedMs < 5000, `syncAllStorages answered in ${queuedMs.toFixed(0)} ms`);
  assert.ok(latencies.length > 0 && percentile(latencies, 99) < 2000, `queries stay answered during the run (p99 ${percentile(latencies, 99).toFixed(0)} ms)`);

  const rows = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select storage_id, status, stats, error from task where id = any($1::uuid[])`, [tasks.map((x: any) => x.id)])).rows,
  );
  assert.equal(rows.length, FLEET);
  const byStorage = new Map(rows.map((r: any) => [r.storage_id, r]));
  let expectedVolumes = 0;
  for (const [n, id] of ids.entries()) {
    const row = byStorage.get(id)!;
    assert.equal(row.status, 'SUCCEEDED', `${id}: ${row.error}`);
    const diff = changed.has(id) ? diffRevisions(optionsOf(n, 1), 0, 1) : { added: [], changed: [], removed: [] };
    assert.deepEqual(row.stats, {
      poolsAdded: 0, poolsUpdated: 0, poolsDeleted: 0,
      volumesAdded: diff.added.length, volumesUpdated: diff.changed.length, volumesDeleted: diff.removed.length,
      // The simulator has no disks, controllers or ports unless asked.
      disksAdded: 0, disksUpdated: 0, disksDeleted: 0, controllersAdded: 0, controllersUpdated: 0, controllersDeleted: 0,
      portsAdded: 0, portsUpdated: 0, portsDeleted: 0,
    }, `storage ${n}`);
    expectedVolumes += countVolumes(optionsOf(n, changed.has(id) ? 1 : 0));
  }
  const counts = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select (select count(*)::int from volume) as volumes, (select count(*)::int from storage_pool) as pools,
                           (select count(*)::int from storage where sync_state <> 'SYNCED') as unsynced`)).rows[0],
  );
  assert.deepEqual(counts, { volumes: expectedVolumes, pools: FLEET * ATTRS.pools, unsynced: 0 });
});
