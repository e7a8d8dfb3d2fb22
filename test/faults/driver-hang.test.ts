// A driver that hangs is cut off by its timeout (issue #7, rule 5): the sync ends FAILED with
// the reason and the storage keeps what it had; a performance poll records the window as lost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, UPDATE_ACCESS } from '../support/operations.js';
import { firstTaskOf } from '../support/tasks.js';
import { waitForTask } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { policyFile } from '../support/policy-file.js';
import { COLLECTIONS, UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';

const t = testEnv('hang', {
  DELFIN_CONFIG: policyFile({ drivers: { callTimeoutSeconds: 2 }, metrics: { windowAttempts: 2, backoffMs: 100, windowRetry: { tries: 1 } } }),
  DELFIN_MIN_INTERVAL_SECONDS: '1',
  SCHEDULER_BACKEND: 'postgres',
});
let delfin: DelfinProcess;

before(async () => {
  delfin = await startDelfin('all', t.env);
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

test('a hanging volume listing ends the sync FAILED with the timeout; the previous volumes stay', async () => {
  const { registerStorage: s } = await gql(delfin.url, REGISTER, { input: fakeInput('10.5.0.1', { volumes: 300 }) });
  assert.equal((await waitForTask(delfin.url, (await firstTaskOf(delfin.url, s.id)).id)).status, 'SUCCEEDED');
  await gql(delfin.url, UPDATE_ACCESS, { id: s.id, input: { extraAttributes: { volumes: 300, hangAt: 'volumes' } } });
  const started = Date.now();
  const { syncStorage } = await gql(delfin.url, SYNC, { id: s.id });
  const task = await waitForTask(delfin.url, syncStorage.id, 30_000);
  assert.equal(task.status, 'FAILED');
  assert.match(task.error, /timed out after 2000 ms/);
  assert.ok(Date.now() - started < 15_000, 'cut off by the 2 s timeout, not left hanging');
  const volumes = await withDb(t.databaseUrl, async (c) => (await c.query('select count(*)::int as n from volume where storage_id = $1', [s.id])).rows[0].n);
  assert.equal(volumes, 300);
});

test('a hanging performance call is cut off; the window is recorded as lost with the reason', async () => {
  const { registerStorage: s } = await gql(delfin.url, REGISTER, { input: fakeInput('10.5.0.2', { volumes: 10, hangAt: 'metrics' }) });
  await gql(delfin.url, UPDATE_METRICS_CONFIG, { storageId: s.id, input: { arrayPolling: polling(true, 1) } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { tasks } = await gql(delfin.url, COLLECTIONS, { storageId: s.id });
    const poll = tasks.edges.map((e: any) => e.node).find((n: any) => n.kind === 'COLLECT_PERFORMANCE' && n.status !== 'QUEUED' && n.status !== 'RUNNING');
    if (poll) {
      assert.equal(poll.status, 'SUCCEEDED');
      assert.equal(poll.collection.lostWindows.length, poll.collection.windowsPlanned);
      assert.match(poll.collection.lostWindows[0].reason, /failed 2 times: .*timed out after 2000 ms/);
      break;
    }
    assert.ok(Date.now() < deadline, 'a poll ended');
    await new Promise((r) => setTimeout(r, 250));
  }
});
