// By priority: with a busy worker, a HIGH task queued last overtakes NORMAL and LOW ones queued
// before it; NORMAL overtakes LOW. Priority is shown on the task.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { firstTaskOf } from '../support/tasks.js';

const t = testEnv('priority', { DELFIN_WORKER_CONCURRENCY: '1' });
let delfin: DelfinProcess;

before(async () => {
  delfin = await startDelfin('all', t.env);
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

test('HIGH overtakes queued NORMAL and LOW tasks; NORMAL overtakes LOW', async () => {
  const url = delfin.url;
  const register = async (host: string, extra: Record<string, unknown>) => {
    const { registerStorage } = await gql(url, REGISTER, { input: fakeInput(host, extra) });
    await waitForTask(url, (await firstTaskOf(url, registerStorage.id)).id);
    return registerStorage.id as string;
  };
  const busy = await register('10.15.0.1', { volumes: 3000, pageSize: 100, latencyMs: 30 });
  const others = await Promise.all(['10.15.0.2', '10.15.0.3', '10.15.0.4'].map((h) => register(h, { volumes: 50 })));

  const { syncStorage: running } = await gql(url, SYNC, { id: busy });
  for (;;) {
    const { task } = await gql(url, `query($id: ID!) { task(id: $id) { status } }`, { id: running.id });
    if (task.status === 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  // Queued while the only slot is busy, in the worst order for the HIGH one.
  const queued: Record<string, string> = {};
  for (const [i, priority] of (['LOW', 'NORMAL', 'HIGH'] as const).entries()) {
    const { syncStorage } = await gql(url, SYNC, { id: others[i], options: { priority } });
    assert.equal(syncStorage.priority, priority, 'the task shows its priority');
    assert.equal(syncStorage.status, 'QUEUED');
    queued[priority] = syncStorage.id;
  }
  const ended = await Promise.all(Object.values(queued).map((id) => waitForTask(url, id)));
  const startedAt = (p: string) => Date.parse(ended.find((e) => e.id === queued[p])!.startedAt);
  assert.ok(Date.parse((await waitForTask(url, running.id)).finishedAt) <= startedAt('HIGH'), 'nothing else ran while the slot was busy');
  assert.ok(startedAt('HIGH') < startedAt('NORMAL'), 'HIGH ran before NORMAL');
  assert.ok(startedAt('NORMAL') < startedAt('LOW'), 'NORMAL ran before LOW');
});
