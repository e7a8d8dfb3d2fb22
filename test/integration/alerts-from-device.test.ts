// Alerts from the device itself (issue 15): the simulator lists the alerts extraAttributes.alerts
// names; the first sync after registration stores them and every sync after takes what changed
// (new ones stored and published, those no longer listed cleared), once per sequence number with
// the same alert arriving as a trap; clearAlert clears on the device too, and a device that fails
// answers DRIVER_ERROR leaving the alert open. A failing listing never fails the sync.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError, subscribe, type Subscription } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, UPDATE_ACCESS } from '../support/operations.js';
import { DELETE_STORAGE, firstTaskOf } from '../support/tasks.js';
import { waitForTask } from '../support/wait.js';
import { FAKE_RAISED, fakeVarbind as vb, freeUdpPort, snmpTools, type SnmpTools } from '../support/snmp.js';

const HOST = 'listing-array.example';
const COMMUNITY = 'device-alerts-community';
const FIELDS = 'id alertId alertName severity category description location resourceType sequenceNumber occurredAt state clearedAt';
const ALERTS = `query($s: ID, $state: [AlertState!]) { alerts(storageId: $s, state: $state) { totalCount edges { node { ${FIELDS} } } } }`;
const CLEAR = `mutation($id: ID!) { clearAlert(id: $id) { ${FIELDS} } }`;
const CAPABILITIES = `query($id: ID!) { storage(id: $id) { capabilities { alerts listAlerts clearAlert } } }`;

const diskAlert = (seq: string, severity = 'Major') => ({
  sequenceNumber: seq,
  alertId: 'FAKE-DISK-FAIL',
  alertName: 'Disk failed',
  severity,
  category: 'Fault',
  description: `disk ${seq} stopped answering`,
  location: 'shelf 2',
  resourceType: 'Disk',
  occurredAt: '2026-11-30T10:00:00Z',
});

const t = testEnv('device-alerts');
let delfin: DelfinProcess;
let events: Subscription<any>;
let tools: SnmpTools;
let trapPort: number;
let storageId = '';

const alertsOf = async (id: string, state?: string[]) => (await gql(delfin.url, ALERTS, { s: id, state })).alerts;
const bySeq = (conn: any) => Object.fromEntries(conn.edges.map((e: any) => [e.node.sequenceNumber, e.node]));

async function syncWith(alerts: unknown[], extra: Record<string, unknown> = {}): Promise<any> {
  await gql(delfin.url, UPDATE_ACCESS, { id: storageId, input: { extraAttributes: { alerts, ...extra } } });
  const task = (await gql(delfin.url, SYNC, { id: storageId })).syncStorage;
  return waitForTask(delfin.url, task.id);
}

before(async () => {
  tools = snmpTools();
  trapPort = await freeUdpPort();
  delfin = await startDelfin('all', { ...t.env, DELFIN_TRAP_PORT: String(trapPort), DELFIN_TRAP_HOST: '127.0.0.1' });
  events = subscribe(delfin.url, `subscription { alertEvents { ${FIELDS} } }`);
  storageId = (await gql(delfin.url, REGISTER, { input: fakeInput(HOST, { alerts: [diskAlert('d-1'), diskAlert('d-2', 'Critical')] }) })).registerStorage.id;
  assert.equal((await waitForTask(delfin.url, (await firstTaskOf(delfin.url, storageId)).id)).status, 'SUCCEEDED');
});

after(async () => {
  await events?.close();
  await delfin?.stop();
  await t.cleanup();
  tools?.cleanup();
});

test('the first sync after registration stores the alerts the device lists, field by field', async () => {
  const listed = await alertsOf(storageId);
  assert.equal(listed.totalCount, 2);
  const d1 = bySeq(listed)['d-1'];
  assert.deepEqual(
    { ...d1, id: undefined },
    {
      id: undefined, alertId: 'FAKE-DISK-FAIL', alertName: 'Disk failed', severity: 'MAJOR', category: 'FAULT', description: 'disk d-1 stopped answering',
      location: 'shelf 2', resourceType: 'Disk', sequenceNumber: 'd-1', occurredAt: '2026-11-30T10:00:00.000Z', state: 'OPEN', clearedAt: null,
    },
  );
  assert.equal(bySeq(listed)['d-2'].severity, 'CRITICAL');
  assert.deepEqual((await gql(delfin.url, CAPABILITIES, { id: storageId })).storage.capabilities, { alerts: true, listAlerts: true, clearAlert: true });
});

test('a listed alert arriving as a trap too is stored once; a trap-only alert stays until its clear trap', async () => {
  await gql(delfin.url, `mutation($id: ID!, $input: AlertSourceInput!) { setAlertSource(storageId: $id, input: $input) { host } }`, {
    id: storageId, input: { host: '127.0.0.1', version: 'V2C', community: COMMUNITY },
  });
  const trap = (seq: string) => ['-v', '2c', '-c', COMMUNITY, `127.0.0.1:${trapPort}`, '', FAKE_RAISED, ...[vb(1, 'FAKE-DISK-FAIL'), vb(3, 'Minor'), vb(7, seq)].flat()];
  // The receiver loads the new source when told on NATS: until then a trap is from a stranger.
  // Sent again until stored (the same sequence number is stored once).
  for (let i = 0; i < 40 && !bySeq(await alertsOf(storageId))['t-9']; i++) {
    await tools.send('snmptrap', trap('t-9'));
    await new Promise((r) => setTimeout(r, 500));
  }
  await events.waitFor((e) => e.alertEvents.sequenceNumber === 't-9');
  await tools.send('snmptrap', trap('d-1'));
  // A sync after the trap: it stores nothing new either.
  assert.equal((await syncWith([diskAlert('d-1'), diskAlert('d-2', 'Critical')])).status, 'SUCCEEDED');
  const all = await alertsOf(storageId);
  assert.deepEqual(Object.keys(bySeq(all)).sort(), ['d-1', 'd-2', 't-9']);
  assert.equal(bySeq(all)['d-1'].severity, 'MAJOR', 'the listing stored it first');
});

test('a sync stores and publishes what the device lists anew, and clears what it no longer lists', async () => {
  const task = await syncWith([diskAlert('d-1'), diskAlert('d-3', 'Warning')]);
  assert.equal(task.status, 'SUCCEEDED');
  const published = await events.waitFor((e) => e.alertEvents.sequenceNumber === 'd-2' && e.alertEvents.state === 'CLEARED');
  assert.ok(published.some((e) => e.alertEvents.sequenceNumber === 'd-3' && e.alertEvents.state === 'OPEN'));
  const now = bySeq(await alertsOf(storageId));
  assert.equal(now['d-2'].state, 'CLEARED');
  assert.ok(now['d-2'].clearedAt);
  assert.equal(now['d-3'].state, 'OPEN');
  assert.equal(now['d-1'].state, 'OPEN');
  assert.equal(now['t-9'].state, 'OPEN', 'an alert that came only as a trap is not the listing\'s to clear');
});

test('a device that fails answers DRIVER_ERROR to clearAlert and the alert stays open; a failing listing does not fail the sync', async () => {
  const task = await syncWith([diskAlert('d-1'), diskAlert('d-3', 'Warning')], { failAt: 'alerts' });
  assert.equal(task.status, 'SUCCEEDED');
  const d1 = bySeq(await alertsOf(storageId))['d-1'];
  const err = await gqlError(delfin.url, CLEAR, { id: d1.id });
  assert.equal(err.code, 'DRIVER_ERROR');
  assert.equal(bySeq(await alertsOf(storageId))['d-1'].state, 'OPEN');
  // The listing failed: nothing was cleared for not being listed.
  assert.equal(bySeq(await alertsOf(storageId))['d-3'].state, 'OPEN');
});

test('clearAlert clears on the device too: the device no longer lists it, and the clear keeps its clearedAt', async () => {
  assert.equal((await syncWith([diskAlert('d-1'), diskAlert('d-3', 'Warning')])).status, 'SUCCEEDED');
  const d1 = bySeq(await alertsOf(storageId))['d-1'];
  const cleared = (await gql(delfin.url, CLEAR, { id: d1.id })).clearAlert;
  assert.equal(cleared.state, 'CLEARED');
  assert.equal((await syncWith([diskAlert('d-1'), diskAlert('d-3', 'Warning')])).status, 'SUCCEEDED');
  assert.equal(bySeq(await alertsOf(storageId))['d-1'].clearedAt, cleared.clearedAt);
  // The same array registered again (same serial number): its first sync finds d-1 cleared on the device.
  const deleted = (await gql(delfin.url, DELETE_STORAGE, { id: storageId })).deleteStorage;
  assert.equal((await waitForTask(delfin.url, deleted.id)).status, 'SUCCEEDED');
  storageId = (await gql(delfin.url, REGISTER, { input: fakeInput(HOST, { alerts: [diskAlert('d-1'), diskAlert('d-3', 'Warning')] }) })).registerStorage.id;
  assert.equal((await waitForTask(delfin.url, (await firstTaskOf(delfin.url, storageId)).id)).status, 'SUCCEEDED');
  assert.deepEqual(Object.keys(bySeq(await alertsOf(storageId))), ['d-3']);
});
