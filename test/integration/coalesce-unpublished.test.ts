// Rule 2 returns the open sync of a storage instead of queueing another. When that sync's own
// request is still publishing it, the answer waits: a sync the bus then refuses is deleted by its
// maker, and an answer naming it would point at nothing (found by the soak: a subscriber of an
// accepted task was told NOT_FOUND). The task's maker is played here on the rows: its sync is
// committed without a bus sequence, then either published or refused and deleted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { withDb } from '../support/db.js';

const t = testEnv('coalesce', { SCHEDULER_BACKEND: 'postgres' });
let api: DelfinProcess;

before(async () => {
  api = await startDelfin('api', t.env); // no worker: syncs stay QUEUED
});

after(async () => {
  await api.stop();
  await t.cleanup();
});

/** The storage's open sync, made to look as if its request were still publishing it. */
async function openSyncBeingPublished(storageId: string): Promise<string> {
  return withDb(t.databaseUrl, async (c) => {
    const { rows } = await c.query(`update task set bus_sequence = null where storage_id = $1 and status = 'QUEUED' returning id`, [storageId]);
    assert.equal(rows.length, 1);
    return rows[0].id as string;
  });
}

const later = (ms: number, fn: () => Promise<unknown>) => new Promise((r) => setTimeout(r, ms)).then(fn);

test('the open sync is published meanwhile: the answer is that sync', { timeout: 60_000 }, async () => {
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.12.9.1', { volumes: 5 }) });
  const open = await openSyncBeingPublished(s.id);
  const published = later(400, () => withDb(t.databaseUrl, (c) => c.query('update task set bus_sequence = 1 where id = $1', [open])));
  const t0 = Date.now();
  const { syncStorage } = await gql(api.url, SYNC, { id: s.id });
  await published;
  assert.equal(syncStorage.id, open);
  assert.ok(Date.now() - t0 >= 350, 'the answer waited for the publish');
});

test('the open sync is refused and deleted meanwhile: the answer is a new sync, on the bus', { timeout: 60_000 }, async () => {
  const { registerStorage: s } = await gql(api.url, REGISTER, { input: fakeInput('10.12.9.2', { volumes: 5 }) });
  const open = await openSyncBeingPublished(s.id);
  const refused = later(400, () => withDb(t.databaseUrl, (c) => c.query('delete from task where id = $1', [open])));
  const { syncStorage } = await gql(api.url, SYNC, { id: s.id });
  await refused;
  assert.notEqual(syncStorage.id, open, 'not the sync that no longer exists');
  const row = await withDb(t.databaseUrl, async (c) => (await c.query('select status, bus_sequence from task where id = $1', [syncStorage.id])).rows[0]);
  assert.equal(row?.status, 'QUEUED');
  assert.ok(row?.bus_sequence, 'the new sync is on the bus');
});
