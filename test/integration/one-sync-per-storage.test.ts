// Rule 2: one sync per storage at a time across every worker process. Three workers, repeated
// sync requests and a worker killed mid-run; then every recorded run of each storage is checked
// to be disjoint from the others (a killed run lasts until its lease could expire).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { withDb } from '../support/db.js';

const t = testEnv('overlap', {
  DELFIN_CONFIG: policyFile({ worker: { ackWaitSeconds: 5, concurrency: 2 }, sync: { leaseSeconds: 5 } }),
});
let api: DelfinProcess;
const workers: DelfinProcess[] = [];

before(async () => {
  api = await startDelfin('api', t.env);
  for (let i = 0; i < 3; i++) workers.push(await startDelfin('worker', t.env));
});

after(async () => {
  for (const w of workers) await w.stop();
  await api.stop();
  await t.cleanup();
});

test('no two runs of one storage ever overlap, and a second request gets the open task back', async () => {
  const storages: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { registerStorage } = await gql(api.url, REGISTER, {
      input: fakeInput(`10.6.0.${i}`, { pools: 3, volumes: 3000, pageSize: 300, latencyMs: 40 }),
    });
    storages.push(registerStorage.id);
  }
  const taskIds = new Set<string>();
  const deadline = Date.now() + 8000;
  let killed = false;
  while (Date.now() < deadline) {
    const storageId = storages[Math.floor(Math.random() * storages.length)]!;
    const [a, b] = await Promise.all([gql(api.url, SYNC, { id: storageId }), gql(api.url, SYNC, { id: storageId })]);
    assert.equal(a.syncStorage.id, b.syncStorage.id, 'two requests at once get one task');
    taskIds.add(a.syncStorage.id);
    if (!killed && Date.now() > deadline - 5000) {
      workers[0]!.proc.kill('SIGKILL'); // a run dies holding its lease
      killed = true;
      workers.push(await startDelfin('worker', t.env));
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  for (const id of taskIds) assert.equal((await waitForTask(api.url, id, 90_000)).status, 'SUCCEEDED');

  const { rows } = await withDb(t.databaseUrl, (c) =>
    c.query(
      `select storage_id, task_id, worker, started_at,
         coalesce(ended_at, lease_until) as effective_end
       from task_run order by storage_id, started_at`,
    ),
  );
  assert.ok(rows.length >= taskIds.size, 'every task ran');
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1]!;
    const cur = rows[i]!;
    if (prev.storage_id !== cur.storage_id) continue;
    assert.ok(
      cur.started_at >= prev.effective_end,
      `runs of storage ${cur.storage_id} overlap: ${prev.task_id}@${prev.worker} until ${prev.effective_end.toISOString()}, ` +
        `${cur.task_id}@${cur.worker} from ${cur.started_at.toISOString()}`,
    );
  }
});
