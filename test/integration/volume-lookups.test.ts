// Looking volumes up (issue 16): each filter, each order in both directions, cursor paging through
// a whole ordered list (every volume once, in order, ties broken by id), on the query and on
// Storage.volumes; the storages' serialNumber filter; bad input answered BAD_USER_INPUT naming
// the field, changing nothing. Two simulated arrays with the same volume names (ties in name
// across storages; capacities and creation times tie too).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { withDb } from '../support/db.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { firstTaskOf } from '../support/tasks.js';

const t = testEnv('lookups');
let delfin: DelfinProcess;
let url: string;
const storages: Array<{ id: string; serialNumber: string }> = [];

/** A volume as stored, with the values each order compares (bigints and microseconds as text). */
interface Row {
  id: string;
  storageId: string;
  name: string;
  wwn: string;
  nativeVolumeId: string;
  nativeStoragePoolId: string;
  status: string;
  total: string;
  used: string;
  created: string;
}
let rows: Row[];

before(async () => {
  delfin = await startDelfin('all', t.env);
  url = delfin.url;
  for (const [i, seed] of ['north', 'south'].entries()) {
    const input = fakeInput(`10.16.1.${i}`, { pools: 3, volumes: 150, seed });
    const { registerStorage } = await gql(url, REGISTER, { input });
    assert.equal((await waitForTask(url, (await firstTaskOf(url, registerStorage.id)).id)).status, 'SUCCEEDED');
    const { storage } = await gql(url, 'query($id: ID!) { storage(id: $id) { id serialNumber } }', { id: registerStorage.id });
    storages.push(storage);
  }
  rows = await withDb(t.databaseUrl, async (c) =>
    (await c.query(`select id, storage_id as "storageId", name, wwn, native_volume_id as "nativeVolumeId",
       native_storage_pool_id as "nativeStoragePoolId", status, total_capacity::text as total, used_capacity::text as used,
       (extract(epoch from created_at) * 1000000)::bigint::text as created from volume`)).rows,
  );
  assert.equal(rows.length, 300);
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

type Field = 'NAME' | 'TOTAL_CAPACITY' | 'USED_CAPACITY' | 'CREATED_AT';
const FIELDS: Field[] = ['NAME', 'TOTAL_CAPACITY', 'USED_CAPACITY', 'CREATED_AT'];

const cmp = (a: string | bigint, b: string | bigint) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf: Record<Field, (r: Row) => string | bigint> = {
  NAME: (r) => r.name, // every name is "fake-vol-NNNNNN": any collation orders them as code points do
  TOTAL_CAPACITY: (r) => BigInt(r.total),
  USED_CAPACITY: (r) => BigInt(r.used),
  CREATED_AT: (r) => BigInt(r.created),
};

/** The ids of `of` in the order asked, the id breaking ties in the same direction. */
function expected(of: Row[], field: Field | null, direction: 'ASC' | 'DESC'): string[] {
  const sign = direction === 'DESC' ? -1 : 1;
  const sorted = [...of].sort((a, b) => sign * ((field ? cmp(keyOf[field](a), keyOf[field](b)) : 0) || cmp(a.id, b.id)));
  return sorted.map((r) => r.id);
}

const PAGE = `edges { cursor node { id name } } pageInfo { hasNextPage endCursor }`;
const QUERY_VOLUMES = `query($s: ID, $first: Int, $after: String, $filter: VolumeFilter, $orderBy: VolumeOrder) {
  volumes(storageId: $s, first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount ${PAGE} } }`;
const STORAGE_VOLUMES = `query($s: ID!, $first: Int, $after: String, $filter: VolumeFilter, $orderBy: VolumeOrder) {
  storage(id: $s) { volumes(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount ${PAGE} } } }`;

interface Lookup {
  storageId?: string;
  filter?: Record<string, unknown>;
  orderBy?: { field: Field; direction?: 'ASC' | 'DESC' };
}

/** Every page of a lookup, following endCursor: the ids in the order given, and the totalCounts seen. */
async function pageThrough(how: 'query' | 'storage', lookup: Lookup, first: number): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 400, 'paging ends');
    const vars = { s: lookup.storageId, first, after, filter: lookup.filter, orderBy: lookup.orderBy };
    const data: any = await gql(url, how === 'query' ? QUERY_VOLUMES : STORAGE_VOLUMES, vars);
    const conn = how === 'query' ? data.volumes : data.storage.volumes;
    ids.push(...conn.edges.map((e: any) => e.node.id));
    totals.push(conn.totalCount);
    if (!conn.pageInfo.hasNextPage) return { ids, totals };
    assert.equal(conn.pageInfo.endCursor, conn.edges.at(-1).cursor);
    after = conn.pageInfo.endCursor;
  }
}

test('each order, both directions: paging through the whole list returns every volume once, in order, ties broken by id', async () => {
  // Ties exist to be broken: both arrays have the same names, and capacities repeat.
  assert.ok(new Set(rows.map((r) => r.name)).size < rows.length);
  assert.ok(new Set(rows.map((r) => r.total)).size < rows.length);
  assert.ok(new Set(rows.map((r) => r.created)).size < rows.length);
  for (const field of FIELDS) {
    for (const direction of ['ASC', 'DESC'] as const) {
      const { ids, totals } = await pageThrough('query', { orderBy: { field, direction } }, 23);
      assert.deepEqual(ids, expected(rows, field, direction), `all volumes by ${field} ${direction}`);
      assert.ok(totals.every((n) => n === 300));
    }
  }
  // Without a direction: ascending.
  assert.deepEqual((await pageThrough('query', { orderBy: { field: 'USED_CAPACITY' } }, 40)).ids, expected(rows, 'USED_CAPACITY', 'ASC'));
  // Without an order: by id, as before.
  assert.deepEqual((await pageThrough('query', {}, 64)).ids, expected(rows, null, 'ASC'));
});

test('Storage.volumes and volumes(storageId) page one storage in each order the same way', async () => {
  const [a] = storages;
  const own = rows.filter((r) => r.storageId === a!.id);
  for (const field of FIELDS) {
    for (const direction of ['ASC', 'DESC'] as const) {
      const want = expected(own, field, direction);
      const nested = await pageThrough('storage', { storageId: a!.id, orderBy: { field, direction } }, 17);
      assert.deepEqual(nested.ids, want, `Storage.volumes by ${field} ${direction}`);
      assert.ok(nested.totals.every((n) => n === 150));
      assert.deepEqual((await pageThrough('query', { storageId: a!.id, orderBy: { field, direction } }, 31)).ids, want);
    }
  }
});

test('each filter, alone, combined and with an order; totalCount counts what matches', async () => {
  const [a, b] = storages;
  const one = rows.find((r) => r.storageId === b!.id && r.nativeVolumeId === 'vol-000042')!;
  const pool = rows.find((r) => r.storageId === a!.id)!.nativeStoragePoolId;
  const errors = rows.filter((r) => r.status === 'ERROR');
  const cases: Array<[string, Lookup, (r: Row) => boolean]> = [
    ['part of the name, any case', { filter: { nameContains: 'VOL-00001' } }, (r) => r.name.includes('vol-00001')],
    ['part of the name, per storage', { storageId: a!.id, filter: { nameContains: 'l-0001' } }, (r) => r.storageId === a!.id && r.name.includes('l-0001')],
    ['an underscore is a character, not a wildcard', { filter: { nameContains: 'fake_vol' } }, () => false],
    ['a WWN in another case', { filter: { wwn: one.wwn.toUpperCase() } }, (r) => r.id === one.id],
    ['a native volume id (one per storage)', { filter: { nativeVolumeId: 'vol-000042' } }, (r) => r.nativeVolumeId === 'vol-000042'],
    ['a pool of a storage', { storageId: a!.id, filter: { nativeStoragePoolId: pool } }, (r) => r.storageId === a!.id && r.nativeStoragePoolId === pool],
    ['status ERROR', { filter: { status: ['ERROR'] } }, (r) => r.status === 'ERROR'],
    ['status AVAILABLE', { filter: { status: ['AVAILABLE'] } }, (r) => r.status === 'AVAILABLE'],
    ['both statuses', { filter: { status: ['AVAILABLE', 'ERROR'] } }, () => true],
    ['name and status, by total capacity descending', { filter: { nameContains: 'vol-0000', status: ['AVAILABLE'] }, orderBy: { field: 'TOTAL_CAPACITY', direction: 'DESC' } },
      (r) => r.name.includes('vol-0000') && r.status === 'AVAILABLE'],
    ['a pool, by name', { storageId: a!.id, filter: { nativeStoragePoolId: pool }, orderBy: { field: 'NAME' } }, (r) => r.storageId === a!.id && r.nativeStoragePoolId === pool],
    ['a WWN that no volume has', { filter: { wwn: 'naa.600a0b80' } }, () => false],
  ];
  assert.ok(errors.length > 0 && errors.length < rows.length, `${errors.length} volumes in ERROR`);
  for (const [what, lookup, matches] of cases) {
    const want = rows.filter(matches);
    const order = lookup.orderBy;
    const { ids, totals } = await pageThrough('query', lookup, 7);
    assert.deepEqual(ids, expected(want, order?.field ?? null, order?.direction ?? 'ASC'), what);
    assert.ok(totals.every((n) => n === want.length), `${what}: totalCount ${totals[0]}, ${want.length} match`);
  }
  // The same filter on Storage.volumes.
  const nested = await pageThrough('storage', { storageId: b!.id, filter: { nameContains: 'vol-00001', status: ['AVAILABLE'] }, orderBy: { field: 'NAME', direction: 'DESC' } }, 4);
  const want = rows.filter((r) => r.storageId === b!.id && r.name.includes('vol-00001') && r.status === 'AVAILABLE');
  assert.deepEqual(nested.ids, expected(want, 'NAME', 'DESC'));
});

test('storages by serial number', async () => {
  const LIST = 'query($f: StorageFilter) { storages(filter: $f) { totalCount edges { node { id serialNumber } } } }';
  for (const s of storages) {
    const { storages: found } = await gql(url, LIST, { f: { serialNumber: s.serialNumber } });
    assert.equal(found.totalCount, 1);
    assert.deepEqual(found.edges.map((e: any) => e.node.id), [s.id]);
  }
  assert.equal((await gql(url, LIST, { f: { serialNumber: 'no-such-serial' } })).storages.totalCount, 0);
  assert.equal((await gql(url, LIST, { f: { serialNumber: storages[0]!.serialNumber, vendor: 'acme' } })).storages.totalCount, 0);
});

/** What a lookup could change if it changed anything. */
const snapshot = () =>
  withDb(t.databaseUrl, async (c) => (await c.query(`select (select md5(string_agg(v::text, ',' order by id)) from volume v) as volumes,
     (select count(*) from task) as tasks, (select md5(string_agg(s::text, ',' order by id)) from storage s) as storages`)).rows[0]);

test('bad input is BAD_USER_INPUT naming the field, and changes nothing', async () => {
  const first = (orderBy?: Lookup['orderBy']) => gql(url, QUERY_VOLUMES, { first: 2, orderBy });
  const byName = (await first({ field: 'NAME' })).volumes.pageInfo.endCursor;
  const byId = (await first()).volumes.pageInfo.endCursor;
  const [a] = storages;
  const cases: Array<[string, string, Record<string, unknown>, RegExp, RegExp]> = [
    ['an order field that does not exist', QUERY_VOLUMES, { orderBy: { field: 'SIZE' } }, /orderBy/, /SIZE/],
    ['a direction that does not exist', QUERY_VOLUMES, { orderBy: { field: 'NAME', direction: 'UP' } }, /orderBy/, /UP/],
    ['a status that does not exist', QUERY_VOLUMES, { filter: { status: ['BROKEN'] } }, /filter/, /BROKEN/],
    ['a cursor of ascending names, descending', QUERY_VOLUMES, { after: byName, orderBy: { field: 'NAME', direction: 'DESC' } }, /^after$/, /NAME ASC.*NAME DESC/],
    ['a cursor of names, by capacity', QUERY_VOLUMES, { after: byName, orderBy: { field: 'TOTAL_CAPACITY' } }, /^after$/, /another|ordered by NAME ASC/],
    ['a cursor of names, in the default order', QUERY_VOLUMES, { after: byName }, /^after$/, /default order/],
    ['a cursor of the default order, by name', QUERY_VOLUMES, { after: byId, orderBy: { field: 'NAME' } }, /^after$/, /default order/],
    ['a cursor of names on Storage.volumes by creation', STORAGE_VOLUMES, { s: a!.id, after: byName, orderBy: { field: 'CREATED_AT' } }, /^after$/, /NAME ASC/],
    ['a cursor made up', QUERY_VOLUMES, { after: Buffer.from('["NAME ASC","x","nope"]').toString('base64url'), orderBy: { field: 'NAME' } }, /^after$/, /not a cursor/],
    ['a capacity cursor with a value not a number', QUERY_VOLUMES,
      { after: Buffer.from(JSON.stringify(['TOTAL_CAPACITY ASC', '1; drop table volume', a!.id])).toString('base64url'), orderBy: { field: 'TOTAL_CAPACITY' } },
      /^after$/, /not a cursor/],
    ['a WWN with spaces', QUERY_VOLUMES, { filter: { wwn: '60 0a 0b' } }, /wwn/, /filter\.wwn must be a world-wide name/],
    ['a WWN that is not hex', QUERY_VOLUMES, { filter: { wwn: 'zz:zz' } }, /wwn/, /world-wide name/],
    ['an empty name part', QUERY_VOLUMES, { filter: { nameContains: '' } }, /nameContains/, /must not be empty/],
    ['a storage id that is not one', QUERY_VOLUMES, { s: 'storage-1' }, /^storageId$/, /storageId/],
  ];
  const before = await snapshot();
  for (const [what, query, variables, field, message] of cases) {
    const err = await gqlError(url, query, variables);
    assert.equal(err.code, 'BAD_USER_INPUT', `${what}: ${err.code} ${err.message}`);
    assert.match(String(err.errors[0]!.extensions?.field), field, `${what}: field ${err.errors[0]!.extensions?.field}`);
    assert.match(err.message, message, what);
  }
  assert.deepEqual(await snapshot(), before);
});
