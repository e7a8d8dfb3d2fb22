// A Swordfish array end to end through GraphQL: register the SNIA emulator's storage with
// vendor snia / model swordfish, the first sync brings its pools and volumes with exact
// capacities, the access info shows how its certificate is trusted (never the password), and
// bad TLS input or an ambiguous storage is BAD_USER_INPUT that changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { waitForTask } from '../support/wait.js';
import { EMULATOR_PASSWORD, EMULATOR_USER, skipWithoutEmulator, startEmulator, type Emulator } from '../support/swordfish.js';

const skip = skipWithoutEmulator();
if (skip) console.log(`# skipping the Swordfish GraphQL tests: ${skip}`);

const t = testEnv('swordfish');
let delfin: DelfinProcess;
let emu: Emulator;
let url: string;

before(async () => {
  if (skip) return;
  emu = await startEmulator();
  delfin = await startDelfin('all', t.env);
  url = delfin.url;
});

after(async () => {
  await delfin?.stop();
  await emu?.destroy();
  await t.cleanup();
});

const S1 = '/redfish/v1/Storage/IPAttachedDrive1';
const GiB = 1024 ** 3;
const COUNT = `{ storages { totalCount } tasks { totalCount } }`;
const REGISTER = `mutation Register($input: RegisterStorageInput!) {
  registerStorage(input: $input) {
    id name serialNumber vendor model
    accessInfo { rest { host port username verifyTls caCertificate certificateFingerprint } extraAttributes }
  }
}`;
const STORAGE = `query Storage($id: ID!) {
  storage(id: $id) {
    status syncState totalCapacity usedCapacity
    pools { totalCount edges { node { nativeStoragePoolId name totalCapacity usedCapacity freeCapacity status } } }
    volumes { totalCount edges { node { nativeVolumeId name totalCapacity usedCapacity type wwn nativeStoragePoolId status } } }
  }
}`;

function input(rest: Record<string, unknown> = {}, extraAttributes: Record<string, unknown> | null = { storage: S1 }) {
  return {
    vendor: 'snia',
    model: 'swordfish',
    rest: { host: emu.host, port: emu.port, username: EMULATOR_USER, password: EMULATOR_PASSWORD, caCertificate: emu.certPem, ...rest },
    extraAttributes,
  };
}

test('bad TLS settings and an ambiguous Storage are BAD_USER_INPUT naming the field, and change nothing', { skip }, async () => {
  const counts = await gql(url, COUNT);
  const pem = await gqlError(url, REGISTER, { input: input({ caCertificate: 'not a certificate' }) });
  assert.equal(pem.code, 'BAD_USER_INPUT');
  assert.match(pem.message, /rest\.caCertificate must be one or more X\.509 certificates in PEM/);
  const pin = await gqlError(url, REGISTER, { input: input({ certificateFingerprint: 'AB:CD' }) });
  assert.equal(pin.code, 'BAD_USER_INPUT');
  assert.match(pin.message, /rest\.certificateFingerprint must be a SHA-256 fingerprint/);
  const two = await gqlError(url, REGISTER, { input: input({}, null) });
  assert.equal(two.code, 'BAD_USER_INPUT');
  assert.match(two.message, /has 2 Storage resources: choose one with extraAttributes\.storage/);
  assert.ok(two.message.includes(S1) && two.message.includes('/redfish/v1/Storage/IPAttachedDrive2'), two.message);
  const untrusted = await gqlError(url, REGISTER, { input: input({ caCertificate: null }) });
  assert.equal(untrusted.code, 'DRIVER_ERROR');
  assert.ok(untrusted.message.includes(new X509Certificate(emu.certPem).fingerprint256), untrusted.message);
  const refused = await gqlError(url, REGISTER, { input: input({ password: 'Not-The-Password-9' }) });
  assert.equal(refused.code, 'DRIVER_ERROR');
  assert.match(refused.message, /refused the credentials of user Administrator/);
  assert.ok(!refused.message.includes('Not-The-Password-9'));
  assert.deepEqual(await gql(url, COUNT), counts);
});

test('registered with a pinned certificate, the first sync brings pools and volumes with exact capacities', { skip }, async () => {
  await emu.create(`${S1}/StoragePools/PoolA`, {
    Name: 'Gold', Status: { State: 'Enabled', Health: 'OK' },
    Capacity: { Data: { AllocatedBytes: 500 * GiB, ConsumedBytes: 120 * GiB } },
  });
  await emu.create(`${S1}/Volumes/VolA`, {
    Name: 'db', Status: { State: 'Enabled', Health: 'OK' }, CapacityBytes: 100 * GiB, ProvisioningPolicy: 'Thin',
    Capacity: { Data: { ConsumedBytes: 30 * GiB } },
    Identifiers: [{ DurableNameFormat: 'NAA', DurableName: '600A098038303039' }],
    CapacitySources: [{ ProvidingPools: { Members: [{ '@odata.id': `${S1}/StoragePools/PoolA` }] } }],
  });
  const pin = new X509Certificate(emu.certPem).fingerprint256.replace(/:/g, '').toLowerCase();
  const { registerStorage: s } = await gql(url, REGISTER, { input: input({ caCertificate: null, certificateFingerprint: pin }) });
  assert.equal(s.serialNumber, 'nqn.2014-08.org.nvmexpress:uuid:6c5fe566-10e6-4fb6-aad4-8b4159f50245');
  assert.equal(s.vendor, 'snia');
  assert.deepEqual(s.accessInfo.rest, {
    host: '127.0.0.1', port: emu.port, username: EMULATOR_USER, verifyTls: true, caCertificate: null,
    certificateFingerprint: new X509Certificate(emu.certPem).fingerprint256,
  });
  const { tasks } = await gql(url, `query T($id: ID) { tasks(storageId: $id) { edges { node { id } } } }`, { id: s.id });
  const task = await waitForTask(url, tasks.edges[0].node.id);
  assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
  assert.equal(task.stats.poolsAdded, 1);
  assert.equal(task.stats.volumesAdded, 2);

  const { storage } = await gql(url, STORAGE, { id: s.id });
  assert.equal(storage.status, 'NORMAL');
  assert.equal(storage.totalCapacity, String(500 * GiB));
  assert.equal(storage.usedCapacity, String(120 * GiB));
  assert.deepEqual(storage.pools.edges.map((e: any) => e.node), [
    { nativeStoragePoolId: `${S1}/StoragePools/PoolA`, name: 'Gold', totalCapacity: String(500 * GiB), usedCapacity: String(120 * GiB), freeCapacity: String(380 * GiB), status: 'NORMAL' },
  ]);
  const volumes = storage.volumes.edges.map((e: any) => e.node).sort((a: any, b: any) => a.nativeVolumeId.localeCompare(b.nativeVolumeId));
  assert.deepEqual(volumes, [
    { nativeVolumeId: `${S1}/Volumes/SimpleNamespace`, name: 'Namespace 1', totalCapacity: '10737418240', usedCapacity: '0', type: null, wwn: null, nativeStoragePoolId: null, status: 'AVAILABLE' },
    { nativeVolumeId: `${S1}/Volumes/VolA`, name: 'db', totalCapacity: String(100 * GiB), usedCapacity: String(30 * GiB), type: 'THIN', wwn: '600A098038303039', nativeStoragePoolId: `${S1}/StoragePools/PoolA`, status: 'AVAILABLE' },
  ]);
  assert.ok(!JSON.stringify(storage).includes(EMULATOR_PASSWORD) && !JSON.stringify(s).includes(EMULATOR_PASSWORD));

  // The emulated array's drives, controllers and ports were synced too, each counted once.
  const { task: synced } = await gql(url, `query($id: ID!) { task(id: $id) { stats { disksAdded controllersAdded portsAdded } } }`, { id: task.id });
  const { storage: hw } = await gql(url, `query($id: ID!) { storage(id: $id) {
    disks { totalCount edges { node { nativeDiskId mediaType capacity storage { id } } } }
    controllers { totalCount } ports { totalCount edges { node { nativeControllerId } } } } }`, { id: s.id });
  assert.deepEqual(
    [synced.stats.disksAdded, synced.stats.controllersAdded, synced.stats.portsAdded],
    [hw.disks.totalCount, hw.controllers.totalCount, hw.ports.totalCount],
  );
  // The emulator's one drive (an NVMe-oF SSD in its enclosure) and its one controller.
  assert.deepEqual(hw.disks.edges.map((e: any) => e.node), [
    { nativeDiskId: '/redfish/v1/Chassis/EBOFEnclosure/Drives/IPAttachedDrive1', mediaType: 'SSD', capacity: '899527000000', storage: { id: s.id } },
  ]);
  assert.equal(hw.controllers.totalCount, 1);
});
