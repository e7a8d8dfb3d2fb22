// SIGTERM on every role drains gracefully and exits 0 (issue #7): an api with an open graphql-ws
// subscription, a scheduler with due jobs, an idle worker, and `delfin all` in the middle of work.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe } from '../support/graphql.js';
import { fakeInput, REGISTER, TASK_EVENTS } from '../support/operations.js';

const t = testEnv('sigterm', { SCHEDULER_BACKEND: 'postgres', DELFIN_MIN_INTERVAL_SECONDS: '1' });
const SET_SCHEDULE = `mutation Set($id: ID!) { setSyncSchedule(storageId: $id, schedule: { enabled: true, intervalSeconds: 1 }) { storageId } }`;

after(() => t.cleanup());

async function stops(p: DelfinProcess, what: string): Promise<void> {
  const started = Date.now();
  const code = await p.stop('SIGTERM');
  assert.equal(code, 0, `${what} exited ${code}:\n${p.output()}`);
  assert.ok(Date.now() - started < 25_000, `${what} stopped within the grace`);
  assert.match(p.output(), /SIGTERM received, stopping/, `${what} said it was stopping`);
}

test('every role exits 0 on SIGTERM, in the middle of its work', async () => {
  const api = await startDelfin('api', t.env);
  const worker = await startDelfin('worker', t.env);
  const scheduler = await startDelfin('scheduler', t.env);
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.4.0.1', { volumes: 50 }) });
  await gql(api.url, SET_SCHEDULE, { id: s.id });
  const sub = subscribe(api.url, TASK_EVENTS, { storageId: s.id });
  await sub.waitFor(() => true, 10_000);
  await new Promise((r) => setTimeout(r, 2000)); // the scheduler fires, the worker syncs
  await stops(scheduler, 'scheduler');
  await stops(worker, 'worker');
  await stops(api, 'api (with an open subscription)');
  await sub.completed.catch(() => undefined);
  await sub.close();

  const all = await startDelfin('all', t.env);
  await gql(all.url, REGISTER, { input: fakeInput('10.4.0.2', { volumes: 3000, pageSize: 100, latencyMs: 20 }) });
  await stops(all, 'delfin all (syncing)');
});
