// A message the bus acknowledged and then lost: nats-server 2.9.10 did this in the soak (#19),
// a stream leader that had come back after a full disk acknowledged four tasks at sequences its
// cluster then went past, and they stayed QUEUED for ever. Here the task's message is deleted
// from the stream by hand (the same loss, made on purpose) while no worker runs; the workers'
// relay finds the task QUEUED with a sequence whose message is not its own, publishes it again,
// and it runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { policyFile } from '../support/policy-file.js';
import { withDb } from '../support/db.js';
import { until } from '../support/wait.js';
import { busNames } from '../../src/bus/subjects.js';

const t = testEnv('lostmsg', { SCHEDULER_BACKEND: 'postgres', DELFIN_CONFIG: policyFile({ worker: { strandedAfterSeconds: 2 } }) });
const started: DelfinProcess[] = [];
let nc: NatsConnection;

before(async () => {
  nc = await connect({ servers: t.env.NATS_URL });
});

after(async () => {
  for (const p of started.reverse()) await p.stop();
  await nc?.close();
  await t.cleanup();
});

const taskRow = (storageId: string) =>
  withDb(t.databaseUrl, async (c) => (await c.query(
    `select id, status, bus_sequence from task where storage_id = $1 and kind = 'SYNC_RESOURCES'`, [storageId])).rows[0]);

test('a task whose acknowledged message the bus lost is published again by the relay and runs', { timeout: 120_000 }, async () => {
  const api = await startDelfin('api', t.env);
  started.push(api);
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.12.8.1', { pools: 1, volumes: 20 }) });
  const queued = await taskRow(s.id);
  assert.equal(queued.status, 'QUEUED');
  assert.ok(queued.bus_sequence, 'the bus acknowledged its message');

  // The bus loses it: no worker will ever be handed this task.
  const jsm = await jetstreamManager(nc);
  const stream = busNames(t.namespace).taskStream;
  assert.equal(await jsm.streams.deleteMessage(stream, Number(queued.bus_sequence)), true);

  const worker = await startDelfin('worker', t.env);
  started.push(worker);
  await until('the lost sync ends SUCCEEDED', async () => (await taskRow(s.id)).status === 'SUCCEEDED', 60_000);
  const ended = await taskRow(s.id);
  assert.notEqual(ended.bus_sequence, queued.bus_sequence, 'the relay recorded the sequence of its new message');
  assert.match(worker.output(), /published again tasks the bus had acknowledged and then lost/);
});
