// Every field a user gives is checked before anything runs: a bad host, port, interval, cron,
// or extraAttributes too large or too deep is BAD_USER_INPUT naming the field (in the message
// and in extensions.field), and no row is created or changed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { withDb } from '../support/db.js';
import { fakeInput, REGISTER, SYNC, UPDATE_ACCESS } from '../support/operations.js';
import { isHost } from '../../src/lib/host.js';

const t = testEnv('inputs', { SCHEDULER_BACKEND: 'postgres' });
let delfin: DelfinProcess;
let url: string;
let storageId: string;

const METRICS = `mutation($id: ID!, $input: MetricsConfigInput!) { updateMetricsConfig(storageId: $id, input: $input) { storageId } }`;
const SCHEDULE = `mutation($id: ID!, $s: SyncScheduleInput!) { setSyncSchedule(storageId: $id, schedule: $s) { enabled } }`;

before(async () => {
  delfin = await startDelfin('api', t.env);
  url = delfin.url;
  storageId = (await gql(url, REGISTER, { input: fakeInput('10.11.0.1') })).registerStorage.id;
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

/** Every row of the tables an operation could change, to compare before and after. */
const snapshot = () =>
  withDb(t.databaseUrl, async (c) => {
    const out: Record<string, unknown[]> = {};
    for (const table of ['storage', 'access_info', 'task', 'sync_schedule']) out[table] = (await c.query(`select * from ${table} order by 1`)).rows;
    return out;
  });

function nested(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) v = { next: v };
  return v;
}

const rest = (over: Record<string, unknown>) => ({ host: '10.11.0.2', port: 8443, username: 'admin', password: 'pw-pw-pw', ...over });

const CASES: Array<[string, string, Record<string, unknown>, string, RegExp]> = [
  ['a host with a space', REGISTER, { input: { ...fakeInput('x'), rest: rest({ host: 'bad host' }) } }, 'rest.host', /host name or an IP address/],
  ['a host of dots', REGISTER, { input: { ...fakeInput('x'), rest: rest({ host: '...' }) } }, 'rest.host', /host name or an IP address/],
  ['an IPv4 address out of range', REGISTER, { input: { ...fakeInput('x'), rest: rest({ host: '999.1.1.1' }) } }, 'rest.host', /host/],
  ['a label starting with a dash', REGISTER, { input: { ...fakeInput('x'), rest: rest({ host: '-array.lab' }) } }, 'rest.host', /host/],
  ['an ssh host', REGISTER, { input: { ...fakeInput('10.11.0.3'), ssh: { host: 'a/b', port: 22, username: 'root' } } }, 'ssh.host', /host/],
  ['port 0', REGISTER, { input: { ...fakeInput('x'), rest: rest({ port: 0 }) } }, 'rest.port', /between 1 and 65535/],
  ['port 65536', REGISTER, { input: { ...fakeInput('x'), rest: rest({ port: 65536 }) } }, 'rest.port', /between 1 and 65535/],
  ['an empty username', REGISTER, { input: { ...fakeInput('x'), rest: rest({ username: '' }) } }, 'rest.username', /username/],
  ['extraAttributes over 16 KB', REGISTER, { input: fakeInput('10.11.0.4', { blob: 'x'.repeat(17 * 1024) }) }, 'extraAttributes', /at most 16384 bytes/],
  ['extraAttributes nested 6 deep', REGISTER, { input: fakeInput('10.11.0.5', nested(6)) }, 'extraAttributes', /nest at most 5 levels/],
  ['extraAttributes not an object', REGISTER, { input: { ...fakeInput('10.11.0.6'), extraAttributes: [1, 2] } }, 'extraAttributes', /must be an object/],
  ['an update with a bad port', UPDATE_ACCESS, { input: { rest: rest({ port: 99999 }) } }, 'rest.port', /between 1 and 65535/],
  ['an update with deep extraAttributes', UPDATE_ACCESS, { input: { extraAttributes: nested(7) } }, 'extraAttributes', /nest at most 5/],
  ['an interval under the minimum', SCHEDULE, { s: { enabled: true, intervalSeconds: 5 } }, 'intervalSeconds', /at least|between 60/],
  ['an interval over a year', SCHEDULE, { s: { enabled: true, intervalSeconds: 400 * 86400 } }, 'intervalSeconds', /between 60/],
  ['a cron that is not one', SCHEDULE, { s: { enabled: true, cron: 'every day' } }, 'cron', /not a cron expression/],
  ['a cron every second', SCHEDULE, { s: { enabled: true, cron: '* * * * * *' } }, 'cron', /under the minimum interval/],
  ['both interval and cron', SCHEDULE, { s: { enabled: true, intervalSeconds: 3600, cron: '0 * * * *' } }, 'cron', /not both/],
  ['a NUL character in a name', REGISTER, { input: { ...fakeInput('10.11.0.7'), name: 'a\u0000b' } }, 'input.name', /NUL character/],
  ['a priority that does not exist', SYNC, { options: { priority: 'URGENT' } }, 'options', /URGENT/],
  // Found by the fuzz: a number where a storage id goes reached PostgreSQL's uuid cast.
  ['a storage id that is not one', METRICS, { id: '2147483648', input: { poolPolling: { perfCollection: true, interval: 900, isHistoric: false } } }, 'storageId', /must be an id/],
];

for (const [what, query, variables, field, message] of CASES) {
  test(`${what}: BAD_USER_INPUT naming ${field}, nothing changed`, async () => {
    const before = await snapshot();
    const err = await gqlError(url, query, { id: storageId, ...variables });
    if (field === 'options') {
      // A value the schema's enum refuses is refused by GraphQL itself, before any resolver.
      assert.ok(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'].includes(err.code!), err.code);
    } else {
      assert.equal(err.code, 'BAD_USER_INPUT', err.message);
      assert.equal(err.errors[0]!.extensions?.field, field);
      assert.ok(err.message.includes(field), `"${err.message}" names ${field}`);
    }
    assert.match(err.message, message);
    assert.deepEqual(await snapshot(), before);
  });
}

test('a NUL character in a filter is BAD_USER_INPUT, not a database error', async () => {
  const err = await gqlError(url, 'query($f: StorageFilter) { storages(filter: $f) { totalCount } }', { f: { nameContains: 'x\u0000' } });
  assert.equal(err.code, 'BAD_USER_INPUT');
  assert.equal(err.errors[0]!.extensions?.field, 'filter.nameContains');
});

test('host names and addresses that are accepted', () => {
  for (const h of ['10.0.0.1', 'array-1.lab.example.com', 'array_2', 'localhost', '::1', '[fe80::1]', '2001:db8::7', 'a.b.c.']) assert.ok(isHost(h), h);
  for (const h of ['', 'a b', '...', 'a..b', '-x', 'x-', '1.2.3.999', '[10.0.0.1]', 'a'.repeat(64), `${'a.'.repeat(127)}a`, 'host:80', 'ü.example']) assert.ok(!isHost(h), h);
});
