// The sync skips a volume when the fingerprint of its stored row (kept by PostgreSQL, a
// generated column) equals the device's (computed in the worker): both must agree on every kind
// of value, for rows written by COPY and by upsert, whatever characters the values hold.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { openDatabase } from '../../src/db/database.js';
import { Sql } from '../../src/db/sql.js';
import type { DeviceVolume } from '../../src/drivers/driver.js';
import { newId } from '../../src/lib/ids.js';
import { fingerprint, VOLUMES } from '../../src/tasks/sync/resource-table.js';
import { insertNew, readFingerprints, upsert } from '../../src/tasks/sync/resource-writer.js';
import { testEnv } from '../support/env.js';

const t = testEnv('fingerprint');
let sql: Sql;
const storageId = newId();

before(async () => {
  await (await openDatabase(t.databaseUrl)).close();
  sql = new Sql(t.databaseUrl);
  await sql.query(
    `insert into storage (id, name, vendor, model, serial_number, status, total_capacity, used_capacity, free_capacity)
     values ($1, 'fp', 'v', 'm', $2, 'NORMAL', 1, 1, 1)`,
    [storageId, `FP-${storageId}`],
  );
});

after(async () => {
  await sql.close();
  await t.cleanup();
});

const base: DeviceVolume = {
  nativeVolumeId: 'v-1',
  name: 'vol "quoted" \\N \\ back\tslash\nnew line, ünicode',
  status: 'AVAILABLE',
  totalCapacity: 2n ** 62n + 7n,
  usedCapacity: 0n,
  freeCapacity: 2n ** 62n + 7n,
};

const variants: DeviceVolume[] = [
  base,
  { ...base, nativeVolumeId: 'v-2', description: '', type: 'THIN', compressed: true, deduplicated: false, wwn: '6000abc', nativeStoragePoolId: 'pool-001' },
  { ...base, nativeVolumeId: 'v-3', description: null, compressed: null, deduplicated: undefined, status: 'ERROR' },
  { ...base, nativeVolumeId: 'v-5\twith\\odd\ncharacters' },
  { ...base, nativeVolumeId: 'v-4', usedCapacity: 1n, freeCapacity: 2n ** 62n + 6n, type: 'THICK' },
];

test("a stored volume's fingerprint reads back equal to the worker's, whether written by COPY or by upsert", async () => {
  await sql.tx((q) => insertNew(q, VOLUMES, storageId, variants.slice(0, 2)));
  await sql.tx((q) => upsert(q, VOLUMES, storageId, variants.slice(2)));
  const stored = await sql.withClient((c) => readFingerprints(c, VOLUMES, storageId));
  for (const v of variants) assert.equal(stored.get(v.nativeVolumeId), fingerprint(VOLUMES, v), v.nativeVolumeId);
  const { rows } = await sql.pool.query('select name from volume where native_volume_id = $1', ['v-1']);
  assert.equal(rows[0].name, base.name, 'COPY keeps quotes, backslashes, tabs and unicode as they were');
});

test('any change of a written column changes the fingerprint', () => {
  const changes: Partial<DeviceVolume>[] = [
    { name: 'other' }, { status: 'ERROR' }, { usedCapacity: 1n }, { compressed: true }, { compressed: false },
    { description: '' }, { nativeStoragePoolId: 'pool-002' }, { wwn: 'x' }, { type: 'THIN' },
  ];
  for (const c of changes) assert.notEqual(fingerprint(VOLUMES, { ...base, ...c }), fingerprint(VOLUMES, base), JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
});
