// Workers SIGKILLed again and again while many storages sync through churn (issue #7): every
// task ends SUCCEEDED and every storage holds exactly the simulator's volumes. Rounds: each
// moves every storage to the simulator's next revision (volumes removed, changed, added), then
// syncs them all, while a killer SIGKILLs a random worker every second or so and starts another.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, UPDATE_ACCESS } from '../support/operations.js';
import { SYNC_ALL } from '../support/tasks.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { policyFile } from '../support/policy-file.js';
import { countVolumes } from '../../src/drivers/fake/fake-churn.js';
import { parseFakeOptions } from '../../src/drivers/fake/fake-options.js';

const STORAGES = 10;
/** At least this many rounds, and more (up to MAX_ROUNDS) until the killer struck KILLS times. */
const ROUNDS = 3;
const MAX_ROUNDS = 12;
const KILLS = 6;
const WORKERS = 2;
const t = testEnv('soak', { DELFIN_CONFIG: policyFile({ worker: { ackWaitSeconds: 5, maxAttempts: 100 }, sync: { leaseSeconds: 5 } }) });
let api: DelfinProcess;
const workers: DelfinProcess[] = [];
const attrs = (i: number, revision: number) => ({ pools: 4, volumes: 3000, pageSize: 250, latencyMs: 40, seed: i, revision });

before(async () => {
  api = await startDelfin('api', t.env);
  for (let i = 0; i < WORKERS; i++) workers.push(await startDelfin('worker', t.env));
});

after(async () => {
  for (const w of workers) await w.stop();
  await api.stop();
  await t.cleanup();
});

/** SIGKILLs a random worker 0.5–1.5 s after the last replacement came up, until stopped; returns the kills. */
function killer(): { kills(): number; stop(): Promise<number> } {
  let running = true;
  let kills = 0;
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
      if (!running) break;
      const i = Math.floor(Math.random() * workers.length);
      await workers[i]!.stop('SIGKILL');
      kills++;
      workers[i] = await startDelfin('worker', t.env);
    }
  })();
  return { kills: () => kills, async stop() { running = false; await loop; return kills; } };
}

test(`${STORAGES} storages, rounds of churn and sync until ${KILLS} workers were SIGKILLed: all SUCCEEDED, counts exact`, { timeout: 600_000 }, async () => {
  const ids: string[] = [];
  const hosts: string[] = [];
  for (let i = 0; i < STORAGES; i++) {
    hosts.push(`10.6.0.${i}`);
    const { registerStorage } = await gql(api.url, REGISTER, { input: fakeInput(hosts[i]!, attrs(i, 0)) });
    ids.push(registerStorage.id);
  }
  const kill = killer();
  const taskIds = await withDb(t.databaseUrl, async (c) => (await c.query('select id from task')).rows.map((r) => r.id as string));
  let round = 0;
  while (round < ROUNDS || (kill.kills() < KILLS && round < MAX_ROUNDS)) {
    round++;
    for (const id of taskIds.splice(0)) assert.equal((await waitForTask(api.url, id, 300_000)).status, 'SUCCEEDED');
    for (let i = 0; i < STORAGES; i++) await gql(api.url, UPDATE_ACCESS, { id: ids[i], input: { extraAttributes: attrs(i, round) } });
    const { syncAllStorages } = await gql(api.url, SYNC_ALL, {});
    taskIds.push(...syncAllStorages.map((x: { id: string }) => x.id));
  }
  for (const id of taskIds) assert.equal((await waitForTask(api.url, id, 300_000)).status, 'SUCCEEDED');
  const kills = await kill.stop();

  const rows = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select s.id, count(v.id)::int as volumes, count(distinct v.native_volume_id)::int as distinct_ids
       from storage s left join volume v on v.storage_id = s.id group by s.id`)).rows,
  );
  for (let i = 0; i < STORAGES; i++) {
    const expected = countVolumes(parseFakeOptions({ rest: { host: hosts[i]!, port: 8443, username: 'admin', password: 'x' }, extraAttributes: attrs(i, round) }));
    const row = rows.find((r) => r.id === ids[i]);
    assert.deepEqual({ volumes: row.volumes, distinct: row.distinct_ids }, { volumes: expected, distinct: expected }, `storage ${i}`);
  }
  const [{ tasks, runs }] = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select (select count(*)::int from task) as tasks, (select count(*)::int from task_run) as runs`)).rows,
  );
  assert.ok(kills >= KILLS, `the killer struck (${kills} kills in ${round} rounds)`);
  // The figures the README's reliability section quotes.
  console.log(`# soak: ${tasks} tasks run (${runs} runs), ${kills} worker SIGKILLs survived, ${round} churn rounds over ${STORAGES} storages, rows lost: 0`);
});
