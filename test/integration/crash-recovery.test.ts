// At-least-once and idempotent (rule 1): a worker SIGKILLed in the middle of a 20 000-volume
// sync leaves no damage; the task is redelivered to another worker and ends with the exact
// device state and exact SyncStats. A repeated delivery of an ended task changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, TASK, TASKS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { withDb } from '../support/db.js';
import { busNames } from '../../src/bus/subjects.js';

// Short ack wait and lease: a dead worker's task is taken over within seconds.
// Jobs in PostgreSQL: this file runs no MongoDB (the api never needs one; a scheduler would).
const t = testEnv('crash', { SCHEDULER_BACKEND: 'postgres', DELFIN_CONFIG: policyFile({ worker: { ackWaitSeconds: 5 }, sync: { leaseSeconds: 5 } }) });
let api: DelfinProcess;
const workers: DelfinProcess[] = [];

before(async () => {
  api = await startDelfin('api', t.env);
});

after(async () => {
  for (const w of workers) await w.stop();
  await api.stop();
  await t.cleanup();
});

async function waitForProgress(url: string, id: string, atLeast: number): Promise<void> {
  for (;;) {
    const { task } = await gql(url, TASK, { id });
    if (task.progress >= atLeast) return;
    assert.ok(!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(task.status), `the task ended before ${atLeast}: ${JSON.stringify(task)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('SIGKILL mid-sync: another worker completes the task with exact counts and stats', async () => {
  const first = await startDelfin('worker', t.env);
  workers.push(first);
  const { registerStorage: s } = await gql(api.url, REGISTER, {
    input: fakeInput('10.5.0.1', { pools: 20, volumes: 20000, pageSize: 500, latencyMs: 60 }),
  });
  const { tasks } = await gql(api.url, TASKS, { storageId: s.id });
  const taskId = tasks.edges[0].node.id;
  await waitForProgress(api.url, taskId, 0.4);
  first.proc.kill('SIGKILL');
  await new Promise((r) => first.proc.once('exit', r));

  const midway = await withDb(t.databaseUrl, (c) => c.query('select count(*)::int as n from volume where storage_id = $1', [s.id]));
  assert.ok(midway.rows[0].n > 0 && midway.rows[0].n < 20000, `the first worker died midway (${midway.rows[0].n} volumes written)`);

  workers.push(await startDelfin('worker', t.env));
  const done = await waitForTask(api.url, taskId, 90_000);
  assert.equal(done.status, 'SUCCEEDED', done.error);
  assert.equal(done.attempts, 2, 'the crash counts as one attempt');
  assert.deepEqual(done.stats, { poolsAdded: 20, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 20000, volumesUpdated: 0, volumesDeleted: 0 });

  const { storage } = await gql(api.url, `query($id: ID!) { storage(id: $id) { syncState pools { totalCount } volumes { totalCount } } }`, { id: s.id });
  assert.deepEqual(storage, { syncState: 'SYNCED', pools: { totalCount: 20 }, volumes: { totalCount: 20000 } });

  const runs = await withDb(t.databaseUrl, (c) => c.query('select worker, attempt, ended_at, outcome from task_run where task_id = $1 order by id', [taskId]));
  assert.equal(runs.rows.length, 2);
  assert.equal(runs.rows[0].ended_at, null, 'the killed run never ended');
  assert.equal(runs.rows[1].outcome, 'SUCCEEDED');
  assert.notEqual(runs.rows[0].worker, runs.rows[1].worker);

  // A repeated delivery of the ended task (as after a lost ack) changes nothing.
  const before = await withDb(t.databaseUrl, (c) =>
    c.query(`select (select version from task where id = $1) as version, (select max(updated_at) from volume where storage_id = $2) as touched`, [taskId, s.id]),
  );
  const nc = await connect({ servers: t.env.NATS_URL });
  const names = busNames(t.namespace);
  await nc.request(names.taskSubject('NORMAL'), JSON.stringify({ taskId, kind: 'SYNC_RESOURCES' }), { timeout: 5000 });
  const jsm = await jetstreamManager(nc);
  for (let i = 0; i < 100 && (await jsm.streams.info(names.taskStream)).state.messages > 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await jsm.streams.info(names.taskStream)).state.messages, 0, 'the repeated message was consumed');
  await nc.close();
  const afterRepeat = await withDb(t.databaseUrl, (c) =>
    c.query(`select (select version from task where id = $1) as version, (select max(updated_at) from volume where storage_id = $2) as touched`, [taskId, s.id]),
  );
  assert.deepEqual(afterRepeat.rows[0], before.rows[0]);
});
