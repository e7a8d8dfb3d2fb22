// Bad input gets a clear error with a code, and changes nothing (architecture.md, rule 7).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, UPDATE_ACCESS } from '../support/operations.js';

const t = testEnv('errors');
let delfin: DelfinProcess;
let url: string;

const COUNT = `{ storages { totalCount } tasks { totalCount } }`;

before(async () => {
  delfin = await startDelfin('all', t.env);
  url = delfin.url;
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

async function assertNothingChanged(before: unknown) {
  assert.deepEqual(await gql(url, COUNT), before, 'a refused operation changes nothing');
}

test('registering the same array twice is a CONFLICT naming the serial number', async () => {
  const { registerStorage: first } = await gql(url, REGISTER, { input: fakeInput('10.2.0.1', { seed: 7 }) });
  const counts = await gql(url, COUNT);
  // Same host and seed: the same device, whatever the name or other attributes.
  const err = await gqlError(url, REGISTER, { input: fakeInput('10.2.0.1', { seed: 7, volumes: 5 }, 'another name') });
  assert.equal(err.code, 'CONFLICT');
  assert.match(err.message, new RegExp(first.serialNumber));
  assert.match(err.message, /already registered/);
  await assertNothingChanged(counts);
});

test('an unknown vendor or model is BAD_USER_INPUT listing the installed drivers', async () => {
  const counts = await gql(url, COUNT);
  const err = await gqlError(url, REGISTER, { input: { ...fakeInput('10.2.0.2'), vendor: 'acme', model: 'x1' } });
  assert.equal(err.code, 'BAD_USER_INPUT');
  assert.match(err.message, /No driver is installed for vendor "acme" model "x1".*fake_storage\/fake_driver/);
  await assertNothingChanged(counts);
});

test('an unreachable device is DRIVER_ERROR with the reason', async () => {
  const counts = await gql(url, COUNT);
  const err = await gqlError(url, REGISTER, { input: fakeInput('10.2.0.3', { failAt: 'connect' }) });
  assert.equal(err.code, 'DRIVER_ERROR');
  assert.match(err.message, /cannot reach fake storage at 10\.2\.0\.3/);
  await assertNothingChanged(counts);
});

test('invalid fields are BAD_USER_INPUT naming the field', async () => {
  const counts = await gql(url, COUNT);
  const port = await gqlError(url, REGISTER, { input: { ...fakeInput('10.2.0.4'), rest: { host: '10.2.0.4', port: 70000, username: 'a', password: 'b' } } });
  assert.equal(port.code, 'BAD_USER_INPUT');
  assert.match(port.message, /rest\.port/);
  const host = await gqlError(url, REGISTER, { input: { ...fakeInput('x'), rest: { host: 'bad host!', port: 1, username: 'a', password: 'b' } } });
  assert.equal(host.code, 'BAD_USER_INPUT');
  assert.match(host.message, /rest\.host/);
  const none = await gqlError(url, REGISTER, { input: { vendor: 'fake_storage', model: 'fake_driver' } });
  assert.equal(none.code, 'BAD_USER_INPUT');
  assert.match(none.message, /rest or ssh/);
  const attr = await gqlError(url, REGISTER, { input: fakeInput('10.2.0.5', { pools: 0 }) });
  assert.equal(attr.code, 'DRIVER_ERROR');
  assert.match(attr.message, /extraAttributes\.pools/);
  const page = await gqlError(url, '{ storages(first: 5000) { totalCount } }');
  assert.equal(page.code, 'BAD_USER_INPUT');
  assert.match(page.message, /first/);
  const cursor = await gqlError(url, '{ storages(after: "nonsense") { totalCount } }');
  assert.equal(cursor.code, 'BAD_USER_INPUT');
  await assertNothingChanged(counts);
});

test('ids that do not exist: null for queries, NOT_FOUND for mutations', async () => {
  const { storage, task } = await gql(url, '{ storage(id: "no-such-id") { id } task(id: "01a21d34-0000-7000-8000-000000000000") { id } }');
  assert.equal(storage, null);
  assert.equal(task, null);
  const err = await gqlError(url, SYNC, { id: '01a21d34-0000-7000-8000-000000000000' });
  assert.equal(err.code, 'NOT_FOUND');
});

test('access info pointing at another array is a CONFLICT and changes nothing', async () => {
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput('10.2.0.9', { seed: 1 }) });
  const err = await gqlError(url, UPDATE_ACCESS, {
    id: s.id,
    input: { rest: { host: '10.2.0.10', port: 8443, username: 'admin', password: 'x' }, extraAttributes: { seed: 1 } },
  });
  assert.equal(err.code, 'CONFLICT');
  assert.match(err.message, /serial number/);
  const { storage } = await gql(url, `query($id: ID!) { storage(id: $id) { accessInfo { rest { host } } } }`, { id: s.id });
  assert.equal(storage.accessInfo.rest.host, '10.2.0.9');
});

test('a request body that is not JSON is a 400 with a GraphQL-shaped error, not a stack trace', async () => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ storages' });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
  assert.equal(body.errors[0]!.extensions.code, 'BAD_REQUEST');
  assert.match(body.errors[0]!.message, /not valid JSON/);
  assert.doesNotMatch(JSON.stringify(body), /node_modules|at JSON\.parse/);
});
