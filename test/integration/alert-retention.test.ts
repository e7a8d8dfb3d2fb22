// Keeping alerts (issue 15): cleared alerts go after the retention, open ones stay; over the
// per-storage cap the oldest cleared go first, then the oldest open; both are counted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { testEnv } from '../support/env.js';
import { openDatabase, type Orm } from '../../src/db/database.js';
import { Sql } from '../../src/db/sql.js';
import { newId } from '../../src/lib/ids.js';
import { createLogger } from '../../src/logger.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import { AlertRetention } from '../../src/alerts/alert-retention.js';
import type { ParsedAlert } from '../../src/drivers/driver.js';

const t = testEnv('alertretention');
let orm: Orm;
let sql: Sql;
let store: AlertStore;

const alert = (seq: string): ParsedAlert => ({ kind: 'raised', alertId: 'A', alertName: 'A', severity: 'MINOR', category: 'FAULT', description: 'd', sequenceNumber: seq });

async function addStorage(): Promise<string> {
  const id = newId();
  await sql.query(
    `insert into storage (id, name, vendor, model, serial_number, status, total_capacity, used_capacity, free_capacity)
     values ($1, $2, 'fake_storage', 'fake_driver', $2, 'NORMAL', 0, 0, 0)`,
    [id, `storage-${id}`],
  );
  return id;
}

const sequencesOf = async (storageId: string) =>
  (await sql.query<{ sequence_number: string }>('select sequence_number from alert where storage_id = $1 order by id', [storageId])).map((r) => r.sequence_number);

before(async () => {
  orm = await openDatabase(t.databaseUrl, { log: () => undefined });
  sql = new Sql(t.databaseUrl);
  store = new AlertStore(sql);
});

after(async () => {
  await sql.close();
  await orm.close(true);
  await t.cleanup();
});

test('cleared alerts older than the retention are deleted; open ones and recent clears stay', async () => {
  const s = await addStorage();
  for (const seq of ['old-cleared', 'recent-cleared', 'old-open']) await store.insert(s, alert(seq), new Date('2026-01-01T00:00:00Z'));
  await store.clearBySequence(s, 'old-cleared', new Date('2026-01-02T00:00:00Z'));
  await store.clearBySequence(s, 'recent-cleared', new Date('2026-03-01T00:00:00Z'));
  const registry = new Registry();
  await new AlertRetention(store, { clearedRetentionDays: 30, maxPerStorage: 1000 }, registry, createLogger('silent')).prune(new Date('2026-03-15T00:00:00Z'));
  assert.deepEqual(await sequencesOf(s), ['recent-cleared', 'old-open']);
  assert.match(await registry.metrics(), /delfin_alerts_pruned_total\{reason="retention"\} 1/);
});

test('over the cap, the oldest cleared go first, then the oldest open; other storages untouched', async () => {
  const s = await addStorage();
  const other = await addStorage();
  const now = new Date();
  for (const seq of ['o1', 'c1', 'o2', 'c2', 'o3']) await store.insert(s, alert(seq), now);
  for (const seq of ['x1', 'x2']) await store.insert(other, alert(seq), now);
  await store.clearBySequence(s, 'c1', now);
  await store.clearBySequence(s, 'c2', now);
  const registry = new Registry();
  const retention = new AlertRetention(store, { clearedRetentionDays: 30, maxPerStorage: 2 }, registry, createLogger('silent'));
  await retention.prune(now);
  assert.deepEqual(await sequencesOf(s), ['o2', 'o3']);
  assert.deepEqual(await sequencesOf(other), ['x1', 'x2']);
  assert.match(await registry.metrics(), /delfin_alerts_pruned_total\{reason="cap"\} 3/);
});
