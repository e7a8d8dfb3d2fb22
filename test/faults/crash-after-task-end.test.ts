// A task's end commits with every row it changes (issue #12 item 5). A worker that dies right
// after a sync's end commits and before the ack (DELFIN_TEST_CRASH_AT=after-task-end) must
// leave the storage SYNCED, not SYNCING for ever: the redelivery to a fresh worker finds the
// task ended and acks it, and there is nothing left to repair.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, TASKS } from '../support/operations.js';
import { policyFile } from '../support/policy-file.js';
import { withDb } from '../support/db.js';
import { busNames } from '../../src/bus/subjects.js';

// A short ack wait: the message of the crashed worker comes back within seconds.
const t = testEnv('crashend', { SCHEDULER_BACKEND: 'postgres', DELFIN_CONFIG: policyFile({ worker: { ackWaitSeconds: 5 }, sync: { leaseSeconds: 5 } }) });
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

test('a worker killed between a sync\'s end and its ack leaves the storage SYNCED and the task SUCCEEDED', { timeout: 120_000 }, async () => {
  const doomed = await startDelfin('worker', { ...t.env, DELFIN_TEST_CRASH_AT: 'after-task-end' });
  workers.push(doomed);
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.12.5.1', { pools: 2, volumes: 50 }) });
  const exitCode = await new Promise<number | null>((resolve) => doomed.proc.once('exit', resolve));
  assert.equal(exitCode, 86, `the worker stopped at the crash point:\n${doomed.output()}`);

  // A fresh worker gets the message again (no ack came) and finds the task ended.
  workers.push(await startDelfin('worker', t.env));
  const nc = await connect({ servers: t.env.NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = busNames(t.namespace).taskStream;
    const deadline = Date.now() + 60_000;
    while ((await jsm.streams.info(stream)).state.messages > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal((await jsm.streams.info(stream)).state.messages, 0, 'the redelivered message was acked');
  } finally {
    await nc.close();
  }

  const { tasks } = await gql(api.url, TASKS, { storageId: s.id });
  assert.equal(tasks.edges.length, 1);
  assert.equal(tasks.edges[0].node.status, 'SUCCEEDED');
  const row = await withDb(t.databaseUrl, (c) => c.query('select sync_state, last_synced_at from storage where id = $1', [s.id]));
  assert.equal(row.rows[0].sync_state, 'SYNCED', 'the storage follows its ended sync');
  assert.ok(row.rows[0].last_synced_at, 'and says when it was synced');
});
