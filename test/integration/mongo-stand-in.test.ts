// The development stand-in (CongoDB) must not promise the MongoDB driver the streaming
// monitoring protocol it does not implement: the driver would fail its heartbeats ("Server
// ended moreToCome unexpectedly"), clear its connection pool and fail the operations in flight
// (a scheduler then lost ticks to job locks). See src/scheduler/congo-hello.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { mongoStandIn, type StandIn } from '../support/mongo.js';

let standIn: StandIn;

before(async () => {
  standIn = await mongoStandIn();
});

after(async () => {
  await standIn.stop();
});

test('the stand-in is monitored by polling: no failed heartbeat, no pool cleared, no operation failed', async () => {
  // Heartbeats every 500 ms (the driver's minimum): the streaming protocol failed every one.
  const client = new MongoClient(standIn.url, { heartbeatFrequencyMS: 500, serverSelectionTimeoutMS: 5000, retryReads: false, retryWrites: false });
  const seen = { heartbeats: 0, awaited: 0, failed: [] as string[], cleared: 0 };
  client.on('serverHeartbeatSucceeded', (e) => {
    seen.heartbeats++;
    if (e.awaited) seen.awaited++;
  });
  client.on('serverHeartbeatFailed', (e) => seen.failed.push(e.failure.message));
  client.on('connectionPoolCleared', () => seen.cleared++);
  await client.connect();
  try {
    const hello = await client.db('admin').command({ hello: 1 });
    assert.equal(hello.topologyVersion, undefined, 'hello promises no streaming protocol');
    // Concurrent operations for 3 s, as Agenda runs them.
    const jobs = client.db('stand_in_test').collection('jobs');
    const until = Date.now() + 3000;
    let errors = 0;
    await Promise.all(
      Array.from({ length: 10 }, async (_, w) => {
        for (let i = 0; Date.now() < until; i++) {
          try {
            await jobs.updateOne({ key: `${w}-${i % 20}` }, { $set: { at: new Date() } }, { upsert: true });
            await jobs.findOne({ key: `${w}-${i % 20}` });
          } catch {
            errors++;
          }
        }
      }),
    );
    assert.ok(seen.heartbeats >= 3, `heartbeats polled (${seen.heartbeats})`);
    assert.deepEqual({ awaited: seen.awaited, failed: seen.failed, cleared: seen.cleared, errors }, { awaited: 0, failed: [], cleared: 0, errors: 0 });
  } finally {
    await client.close();
  }
});
