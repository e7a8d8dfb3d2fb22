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
import { pgHashText53 } from '../../src/lib/pg-hash-text.js';
import { fingerprint, VOLUMES } from '../../src/db/stores/resource-table.js';
import { insertNew, readFingerprints, upsert } from '../../src/db/stores/resource-writer.js';
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
  { ...base, nativeVolumeId: 'v-6-ünï€😀', totalCapacity: 0n, usedCapacity: 0n, freeCapacity: 0n },
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

test("the worker's hash is PostgreSQL's hashtextextended (low 53 bits) on texts of every length and character", async () => {
  // Lengths around the hash's 12-byte blocks, and 1-, 2-, 3- and 4-byte UTF-8 characters.
  const alphabet = ['a', 'Z', '~', '\u001f', '\\', '\t', 'é', 'ß', '€', '中', '😀'];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const texts = [''];
  for (let n = 1; n <= 300; n++) {
    let s = '';
    for (let i = 0; i < n % 60; i++) s += alphabet[next() % (n % 3 === 0 ? 3 : alphabet.length)];
    texts.push(s);
  }
  const { rows } = await sql.pool.query(
    'select (hashtextextended(t, 0) & 9007199254740991)::text as h from unnest($1::text[]) with ordinality as u(t, n) order by n',
    [texts],
  );
  texts.forEach((t, i) => assert.equal(pgHashText53(t), Number(rows[i].h), JSON.stringify(t)));
});
