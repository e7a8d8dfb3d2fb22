// A task is committed QUEUED, then published. An api killed between the two
// (DELFIN_TEST_CRASH_AT=before-task-publish) leaves a row no message will ever deliver; the
// workers' relay for stranded tasks publishes it once it has waited `strandedAfterSeconds`, so
// the task runs and ends instead of staying QUEUED for ever (found by the soak, issue #19).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { policyFile } from '../support/policy-file.js';
import { withDb } from '../support/db.js';
import { until } from '../support/wait.js';

const t = testEnv('stranded', { SCHEDULER_BACKEND: 'postgres', DELFIN_CONFIG: policyFile({ worker: { strandedAfterSeconds: 2 } }) });
const started: DelfinProcess[] = [];

before(async () => {
  started.push(await startDelfin('worker', t.env));
});

after(async () => {
  for (const p of started.reverse()) await p.stop();
  await t.cleanup();
});

const taskRows = (storageId: string) =>
  withDb(t.databaseUrl, async (c) => (await c.query(
    `select id, status, bus_sequence from task where storage_id = $1 and kind = 'SYNC_RESOURCES' order by created_at`, [storageId])).rows);

test('a sync committed by an api killed before publishing it still runs: the relay publishes it', { timeout: 120_000 }, async () => {
  // A healthy api registers the storage and its first sync runs.
  const api = await startDelfin('api', t.env);
  started.push(api);
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.12.7.1', { pools: 1, volumes: 20 }) });
  await until('the first sync ends', async () => (await taskRows(s.id)).every((r) => r.status === 'SUCCEEDED'), 60_000);

  // An api that dies right after committing the next sync, before its publish.
  const doomed = await startDelfin('api', { ...t.env, DELFIN_TEST_CRASH_AT: 'before-task-publish' });
  started.push(doomed);
  const exited = new Promise<number | null>((resolve) => doomed.proc.once('exit', resolve));
  await gql(doomed.url, SYNC, { id: s.id }).catch(() => undefined); // no answer: it died
  assert.equal(await exited, 86, `the api stopped at the crash point:\n${doomed.output()}`);
  const [, stranded] = await taskRows(s.id);
  assert.equal(stranded?.status, 'QUEUED', 'the sync was committed');
  assert.equal(stranded?.bus_sequence, null, 'and never published');

  // The relay publishes it; the worker runs it to its end.
  await until('the stranded sync ends SUCCEEDED', async () => (await taskRows(s.id))[1]?.status === 'SUCCEEDED', 60_000);
  const [, ended] = await taskRows(s.id);
  assert.ok(ended.bus_sequence, 'its bus sequence was recorded when the relay published it');
  const row = await withDb(t.databaseUrl, (c) => c.query('select sync_state from storage where id = $1', [s.id]));
  assert.equal(row.rows[0].sync_state, 'SYNCED');
});
