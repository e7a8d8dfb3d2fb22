// A run against the SNIA Swordfish emulator end to end through GraphQL, at LOG_LEVEL=debug: its
// two Storage resources registered as two storages (one trusting the certificate by its PEM, one
// with verifyTls false, which the worker warns about), the array changed (volumes deleted and
// added in the emulator) and the resync's SyncStats saying exactly that, a wrong password
// refused; then no password, session token or Basic credentials in the process output, the
// answers, the events, the rows or the NATS messages of the whole run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError, subscribe } from '../support/graphql.js';
import { withDb } from '../support/db.js';
import { SYNC } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { EMULATOR_PASSWORD, EMULATOR_USER, skipWithoutEmulator, startEmulator, type Emulator } from '../support/swordfish.js';

const skip = skipWithoutEmulator();
if (skip) console.log(`# skipping the Swordfish run: ${skip}`);

const t = testEnv('swordfishrun');
let delfin: DelfinProcess;
let emu: Emulator;
let url: string;
let nc: NatsConnection;
const natsMessages: string[] = [];
const answers: string[] = [];

before(async () => {
  if (skip) return;
  emu = await startEmulator();
  nc = await connect({ servers: t.env.NATS_URL! });
  const sub = nc.subscribe(`${t.namespace}.>`);
  void (async () => {
    for await (const m of sub) natsMessages.push(`${m.subject} ${m.string()}`);
  })();
  delfin = await startDelfin('all', t.env, 30_000, { logLevel: 'debug' });
  url = delfin.url;
});

after(async () => {
  await delfin?.stop();
  await nc?.close();
  await emu?.destroy();
  await t.cleanup();
});

const S1 = '/redfish/v1/Storage/IPAttachedDrive1';
const S2 = '/redfish/v1/Storage/IPAttachedDrive2';
const GiB = 2 ** 30;
const REGISTER = `mutation Register($input: RegisterStorageInput!) {
  registerStorage(input: $input) { id name serialNumber accessInfo { rest { host port username verifyTls caCertificate certificateFingerprint } extraAttributes } }
}`;
const STATS = 'poolsAdded poolsUpdated poolsDeleted volumesAdded volumesUpdated volumesDeleted disksAdded disksUpdated disksDeleted controllersAdded controllersUpdated controllersDeleted portsAdded portsUpdated portsDeleted';
const TASK = `query($id: ID!) { task(id: $id) { id status error message stats { ${STATS} } } }`;
const VOLUMES = `query($id: ID!) { storage(id: $id) { volumes(first: 1000) { totalCount edges { node { nativeVolumeId name totalCapacity } } } } }`;

/** Every answer is kept for the search at the end. */
async function q<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const data = await gql<T>(url, query, variables);
  answers.push(JSON.stringify(data));
  return data;
}

function input(storage: string, rest: Record<string, unknown>) {
  return {
    vendor: 'snia', model: 'swordfish',
    rest: { host: emu.host, port: emu.port, username: EMULATOR_USER, password: EMULATOR_PASSWORD, ...rest },
    extraAttributes: { storage },
  };
}

async function ended(id: string) {
  await waitForTask(url, id, 120_000);
  return (await q(TASK, { id })).task;
}

async function firstSyncOf(storageId: string) {
  const { tasks } = await q(`query($s: ID) { tasks(storageId: $s) { edges { node { id } } } }`, { s: storageId });
  return ended(tasks.edges[0].node.id);
}

async function volumeIds(storageId: string): Promise<string[]> {
  const { storage } = await q(VOLUMES, { id: storageId });
  return storage.volumes.edges.map((e: any) => e.node.nativeVolumeId).sort();
}

const zeroStats = () => Object.fromEntries(STATS.split(' ').map((k) => [k, 0]));

let first: string;
let second: string;

test('the two Storage resources of one service are two storages (CA-trusted, and verifyTls false with a warning)', { skip }, async () => {
  for (const i of [1, 2, 3]) {
    await emu.create(`${S1}/Volumes/Run${i}`, { Name: `run-${i}`, CapacityBytes: i * GiB, Status: { State: 'Enabled', Health: 'OK' } });
  }
  const events = subscribe(url, `subscription { taskEvents { type task { id status message error storage { name status } } } }`);
  try {
    const a = (await q(REGISTER, { input: input(S1, { caCertificate: emu.certPem }) })).registerStorage;
    const b = (await q(REGISTER, { input: input(S2, { verifyTls: false }) })).registerStorage;
    first = a.id;
    second = b.id;
    assert.notEqual(a.serialNumber, b.serialNumber);
    assert.equal(a.accessInfo.rest.verifyTls, true);
    assert.equal(b.accessInfo.rest.verifyTls, false);
    const [syncA, syncB] = [await firstSyncOf(a.id), await firstSyncOf(b.id)];
    assert.equal(syncA.status, 'SUCCEEDED', JSON.stringify(syncA));
    assert.equal(syncB.status, 'SUCCEEDED', JSON.stringify(syncB));
    assert.equal(syncA.stats.volumesAdded, 4); // the emulator's namespace and our three
    assert.equal(syncB.stats.volumesAdded, 1);
    assert.deepEqual(await volumeIds(a.id), [`${S1}/Volumes/Run1`, `${S1}/Volumes/Run2`, `${S1}/Volumes/Run3`, `${S1}/Volumes/SimpleNamespace`]);
    assert.deepEqual(await volumeIds(b.id), [`${S2}/Volumes/SimpleNamespace`]);
    const { storages } = await q(`{ storages { totalCount edges { node { id vendor model status syncState } } } }`);
    assert.equal(storages.totalCount, 2);
    for (const e of storages.edges) assert.deepEqual([e.node.vendor, e.node.model, e.node.status, e.node.syncState], ['snia', 'swordfish', 'NORMAL', 'SYNCED']);
    assert.match(delfin.output(), /TLS certificate of 127\.0\.0\.1:\d+ is not verified \(rest\.verifyTls is false\)/);
  } finally {
    await events.close();
    answers.push(...events.received.map((e) => JSON.stringify(e)));
  }
});

test('the array changes: volumes deleted and added in the emulator, and the resync\'s SyncStats say exactly that', { skip }, async () => {
  assert.ok(first, 'registered by the test before');
  const deleted = await emu.request('DELETE', `${S1}/Volumes/Run2`);
  assert.ok(deleted.status < 300, `DELETE answered ${deleted.status}`);
  await emu.create(`${S1}/Volumes/Run4`, { Name: 'run-4', CapacityBytes: 4 * GiB, Status: { State: 'Enabled', Health: 'OK' } });
  await emu.create(`${S1}/Volumes/Run5`, { Name: 'run-5', CapacityBytes: 5 * GiB, Status: { State: 'Enabled', Health: 'OK' } });
  const { syncStorage } = await q(SYNC, { id: first });
  const resync = await ended(syncStorage.id);
  assert.equal(resync.status, 'SUCCEEDED', JSON.stringify(resync));
  assert.deepEqual(resync.stats, { ...zeroStats(), volumesAdded: 2, volumesDeleted: 1 });
  assert.deepEqual(await volumeIds(first), [`${S1}/Volumes/Run1`, `${S1}/Volumes/Run3`, `${S1}/Volumes/Run4`, `${S1}/Volumes/Run5`, `${S1}/Volumes/SimpleNamespace`]);

  // Unchanged: the next resync changes nothing, and the other storage of the service neither.
  const again = await ended((await q(SYNC, { id: first })).syncStorage.id);
  assert.deepEqual(again.stats, zeroStats());
  const other = await ended((await q(SYNC, { id: second })).syncStorage.id);
  assert.deepEqual(other.stats, zeroStats());
});

test('a wrong password is refused naming the user, and changes nothing', { skip }, async () => {
  const wrong = 'Not-The-Password-7';
  const err = await gqlError(url, REGISTER, { input: input(S1, { password: wrong, caCertificate: emu.certPem }) });
  answers.push(JSON.stringify(err));
  assert.equal(err.code, 'DRIVER_ERROR');
  assert.match(err.message, /refused the credentials of user Administrator/);
  assert.ok(!err.message.includes(wrong));
  assert.equal((await q(`{ storages { totalCount } }`)).storages.totalCount, 2);
});

test('no password, session token or Basic credentials in the output, answers, events, rows or NATS messages of the run', { skip }, async () => {
  const rows = await withDb(t.databaseUrl, async (c) => {
    const tables = (await c.query(`select table_name from information_schema.tables where table_schema = 'public'`)).rows.map((r) => r.table_name as string);
    const out: string[] = [];
    for (const table of tables) out.push(...(await c.query(`select row_to_json(x)::text as j from "${table}" x`)).rows.map((r) => `${table} ${r.j}`));
    return out.join('\n');
  });
  await new Promise((r) => setTimeout(r, 300)); // the last NATS messages
  const places: Record<string, string> = {
    'process output (LOG_LEVEL=debug)': delfin.output(),
    'GraphQL answers and events': answers.join('\n'),
    'database rows': rows,
    'NATS messages': natsMessages.join('\n'),
  };
  assert.ok(places['database rows']!.includes('passwordEncrypted') || places['database rows']!.includes('password_encrypted'), 'the rows were read');
  const secrets: Record<string, string> = {
    password: `"${EMULATOR_PASSWORD}"`,
    'the password after a colon (Basic, user:password)': `:${EMULATOR_PASSWORD}`,
    'Basic credentials': Buffer.from(`${EMULATOR_USER}:${EMULATOR_PASSWORD}`).toString('base64'),
    // The emulator's session token is a JWT carrying the user and password.
    'a JWT (the session token)': 'eyJ',
  };
  const found: string[] = [];
  for (const [place, text] of Object.entries(places)) {
    for (const [what, secret] of Object.entries(secrets)) if (text.includes(secret)) found.push(`${what} in ${place}`);
  }
  assert.deepEqual(found, []);
  assert.ok(natsMessages.length > 0 && answers.length > 10, `searched ${natsMessages.length} NATS messages and ${answers.length} answers`);
});
