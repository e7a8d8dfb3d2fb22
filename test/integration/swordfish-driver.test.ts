// The Swordfish driver against the real SNIA Swordfish API Emulator (third-party): storage
// discovery, every listing with exact figures, changes on the array, credentials, TLS trust,
// sessions, counters and an array that went away. Drives the driver directly, as a worker does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessInfo, CounterState, DeviceVolume, Page, RestAccess } from '../../src/drivers/driver.js';
import { DriverError, DriverInputError } from '../../src/drivers/driver-error.js';
import { withTimeouts } from '../../src/drivers/timeouts.js';
import { SwordfishDriver, swordfishDriverDescriptor } from '../../src/drivers/swordfish/swordfish-driver.js';
import { EMULATOR_PASSWORD, EMULATOR_USER, skipWithoutEmulator, startEmulator, type Emulator } from '../support/swordfish.js';

const skip = skipWithoutEmulator();
if (skip) console.log(`# skipping the Swordfish driver tests: ${skip}`);

let emu: Emulator;
const drivers: SwordfishDriver[] = [];
/** Every error message the driver gave during the run: none may hold a secret. */
const messages: string[] = [];

before(async () => {
  if (!skip) emu = await startEmulator();
});
after(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  await emu?.destroy();
});

const S1 = '/redfish/v1/Storage/IPAttachedDrive1';
const S2 = '/redfish/v1/Storage/IPAttachedDrive2';
const OK = { State: 'Enabled', Health: 'OK' };

function driver(extra: Record<string, unknown> = {}, rest: Partial<RestAccess> = {}): SwordfishDriver {
  const access: AccessInfo = {
    rest: { host: emu.host, port: emu.port, username: EMULATOR_USER, password: EMULATOR_PASSWORD, caCertificate: emu.certPem, ...rest },
    extraAttributes: extra,
  };
  const d = swordfishDriverDescriptor.create(access) as SwordfishDriver;
  drivers.push(d);
  return d;
}

async function failure(p: Promise<unknown>): Promise<DriverError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DriverError, `expected a DriverError, got ${String(err)}`);
    messages.push(err.message);
    return err;
  }
  assert.fail('expected the call to fail');
}

async function all<T>(pages: AsyncIterable<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page.items);
  return out;
}

const byId = <T>(key: keyof T) => (a: T, b: T) => String(a[key]).localeCompare(String(b[key]));

async function sessionCount(): Promise<number> {
  const res = await emu.request('GET', '/redfish/v1/SessionService/Sessions');
  return res.status === 404 ? 0 : (res.json.Members as unknown[]).length;
}

const fingerprint = () => new X509Certificate(emu.certPem).fingerprint256;

test('a service with two Storage resources and no choice: an input error listing both', { skip }, async () => {
  const err = await failure(driver().getStorage());
  assert.ok(err instanceof DriverInputError);
  assert.equal(err.field, 'extraAttributes.storage');
  assert.match(err.message, /has 2 Storage resources: choose one with extraAttributes\.storage/);
  assert.ok(err.message.includes(S1) && err.message.includes(S2), err.message);
});

test('extraAttributes.storage by @odata.id chooses that Storage; its durable name is the serial number', { skip }, async () => {
  const storage = await driver({ storage: S2 }).getStorage();
  assert.equal(storage.serialNumber, 'nqn.2014-08.org.nvmexpress:uuid:6c5fe566-10e6-4fb6-aad4-8b4159f50246');
  assert.equal(storage.name, 'NVMe IP Attached Drive Configuration');
  assert.equal(storage.status, 'NORMAL');
  assert.equal(storage.totalCapacity, 0n, 'no pools yet');
});

test('extraAttributes.storage by Id: unique chooses, shared is refused naming both, unknown lists all', { skip }, async () => {
  // The emulator's two Storage resources both have Id "1".
  const shared = await failure(driver({ storage: '1' }).getStorage());
  assert.ok(shared instanceof DriverInputError);
  assert.match(shared.message, /is the Id of 2 Storage resources.*give the @odata\.id instead/);
  await emu.create('/redfish/v1/Storage/Lab3', { Name: 'Lab array', SerialNumber: 'LAB3-0001', Status: { State: 'Enabled', Health: 'Warning' } });
  const lab = await driver({ storage: 'Lab3' }).getStorage();
  assert.equal(lab.serialNumber, 'LAB3-0001');
  assert.equal(lab.status, 'DEGRADED');
  const unknown = await failure(driver({ storage: 'nope' }).getStorage());
  assert.ok(unknown instanceof DriverInputError);
  assert.match(unknown.message, /"nope" names no Storage resource.*IPAttachedDrive1.*IPAttachedDrive2.*Lab3/);
});

test('a service with exactly one Storage: chosen without extraAttributes', { skip }, async () => {
  for (const path of ['/redfish/v1/Storage/Lab3', S2]) assert.ok((await emu.request('DELETE', path)).status < 300);
  const storage = await driver().getStorage();
  assert.equal(storage.serialNumber, 'nqn.2014-08.org.nvmexpress:uuid:6c5fe566-10e6-4fb6-aad4-8b4159f50245');
});

const TiB = 1024 ** 4;
const GiB = 1024 ** 3;

async function populate(): Promise<void> {
  await emu.create(`${S1}/StoragePools/PoolA`, {
    Name: 'Gold',
    Description: 'fast pool',
    Status: OK,
    Capacity: { Data: { AllocatedBytes: 10 * TiB, ConsumedBytes: 3 * TiB, ProvisionedBytes: 14 * TiB } },
  });
  await emu.create(`${S1}/StoragePools/PoolB`, {
    Name: 'Bronze',
    Status: { State: 'Enabled', Health: 'Critical' },
    Capacity: { Data: { AllocatedBytes: 2 * TiB, ConsumedBytes: 512 * GiB } },
  });
  await emu.create(`${S1}/Volumes/VolA`, {
    Name: 'db-data',
    Status: OK,
    CapacityBytes: 100 * GiB,
    Capacity: { Data: { ConsumedBytes: 40 * GiB, AllocatedBytes: 60 * GiB } },
    ProvisioningPolicy: 'Thin',
    Identifiers: [{ DurableNameFormat: 'NQN', DurableName: 'nqn.x' }, { DurableNameFormat: 'NAA', DurableName: '600A0980383030394E3F4A4C4B6A5A42' }],
    CapacitySources: [{ ProvidingPools: { Members: [{ '@odata.id': `${S1}/StoragePools/PoolA` }] } }],
  });
  await emu.create(`${S1}/Volumes/VolB`, {
    Name: 'logs',
    Status: { State: 'Disabled', Health: 'OK' },
    Capacity: { Data: { ProvisionedBytes: 20 * GiB, AllocatedBytes: 20 * GiB, ConsumedBytes: 5 * GiB } },
    ProvisioningPolicy: 'Fixed',
    CapacitySources: [{ ProvidingPools: { Members: [{ '@odata.id': `${S1}/StoragePools/PoolB` }] } }],
  });
}

const big = (n: number) => BigInt(n);

test('pools, volumes and the storage with exact figures, whatever the page size', { skip }, async () => {
  await populate();
  const d = driver({ storage: S1, pageSize: 2 });
  const pools = (await d.listPools()).sort(byId('nativeStoragePoolId'));
  assert.deepEqual(pools, [
    {
      nativeStoragePoolId: `${S1}/StoragePools/PoolA`, name: 'Gold', description: 'fast pool', storageType: 'BLOCK', status: 'NORMAL',
      totalCapacity: big(10 * TiB), usedCapacity: big(3 * TiB), freeCapacity: big(7 * TiB), subscribedCapacity: big(14 * TiB),
    },
    {
      nativeStoragePoolId: `${S1}/StoragePools/PoolB`, name: 'Bronze', description: null, storageType: 'BLOCK', status: 'ABNORMAL',
      totalCapacity: big(2 * TiB), usedCapacity: big(512 * GiB), freeCapacity: big(2 * TiB - 512 * GiB), subscribedCapacity: null,
    },
  ]);
  const pages: number[] = [];
  const volumes: DeviceVolume[] = [];
  for await (const page of d.listVolumes()) {
    pages.push(page.items.length);
    volumes.push(...page.items);
  }
  assert.ok(pages.every((n) => n <= 2), `pages of at most 2: ${pages.join(',')}`);
  assert.deepEqual(volumes.sort(byId('nativeVolumeId')), [
    {
      nativeVolumeId: `${S1}/Volumes/SimpleNamespace`, name: 'Namespace 1', description: volumes.find((v) => v.name === 'Namespace 1')?.description,
      type: null, status: 'AVAILABLE', nativeStoragePoolId: null, wwn: null,
      totalCapacity: 10737418240n, usedCapacity: 0n, freeCapacity: 10737418240n, compressed: null, deduplicated: null,
    },
    {
      nativeVolumeId: `${S1}/Volumes/VolA`, name: 'db-data', description: null, type: 'THIN', status: 'AVAILABLE',
      nativeStoragePoolId: `${S1}/StoragePools/PoolA`, wwn: '600A0980383030394E3F4A4C4B6A5A42',
      totalCapacity: big(100 * GiB), usedCapacity: big(40 * GiB), freeCapacity: big(60 * GiB), compressed: null, deduplicated: null,
    },
    {
      nativeVolumeId: `${S1}/Volumes/VolB`, name: 'logs', description: null, type: 'THICK', status: 'ERROR',
      nativeStoragePoolId: `${S1}/StoragePools/PoolB`, wwn: null,
      totalCapacity: big(20 * GiB), usedCapacity: big(5 * GiB), freeCapacity: big(15 * GiB), compressed: null, deduplicated: null,
    },
  ]);
  const storage = await d.getStorage();
  assert.equal(storage.totalCapacity, big(12 * TiB));
  assert.equal(storage.usedCapacity, big(3 * TiB + 512 * GiB));
  assert.equal(storage.freeCapacity, big(9 * TiB - 512 * GiB));
  assert.equal(storage.subscribedCapacity, big(14 * TiB));
});

test('disks, controllers and the controllers\' ports', { skip }, async () => {
  const controller = `${S1}/Controllers/NVMeIOController`;
  await emu.create(`${controller}/Ports/P1`, {
    Name: 'nvme-tcp 1', PortProtocol: 'NVMeOverFabrics', LinkStatus: 'LinkUp', CurrentSpeedGbps: 25, Status: OK,
    Location: { PartLocation: { LocationType: 'Slot', LocationOrdinalValue: 1 } },
  });
  await emu.create(`${controller}/Ports/P2`, {
    Name: 'mgmt', PortProtocol: 'Ethernet', LinkStatus: 'LinkDown', Status: { State: 'Enabled', Health: 'Warning' },
    Ethernet: { AssociatedMACAddresses: ['00:11:22:33:44:55'] },
  });
  // The emulator links the new collection from the controller as "Port", not "Ports": the
  // driver finds it at the controller's own path + /Ports, as it does pools and volumes.
  const d = driver({ storage: S1 });
  assert.deepEqual(await all(d.listDisks()), [
    {
      nativeDiskId: '/redfish/v1/Chassis/EBOFEnclosure/Drives/IPAttachedDrive1', name: 'NVMe IPAttachedDrive Drive', status: 'NORMAL',
      mediaType: 'SSD', capacity: 899527000000n, manufacturer: 'Contoso', model: 'ST9146802SS', serialNumber: '72D0A037FRD26',
      firmware: 'S20A', speedGbps: 12, location: null,
    },
  ]);
  assert.deepEqual(await all(d.listControllers()), [
    { nativeControllerId: controller, name: 'NVMe I/O Controller', status: 'NORMAL', firmware: '1.0.0', location: null, memoryBytes: null },
  ]);
  assert.deepEqual((await all(d.listPorts())).sort(byId('nativePortId')), [
    {
      nativePortId: `${controller}/Ports/P1`, name: 'nvme-tcp 1', type: 'NVME_OVER_FABRICS', connectionStatus: 'CONNECTED', healthStatus: 'NORMAL',
      speedGbps: 25, wwn: null, macAddress: null, ipAddress: null, location: 'Slot 1', nativeControllerId: controller,
    },
    {
      nativePortId: `${controller}/Ports/P2`, name: 'mgmt', type: 'ETHERNET', connectionStatus: 'DISCONNECTED', healthStatus: 'ABNORMAL',
      speedGbps: null, wwn: null, macAddress: '00:11:22:33:44:55', ipAddress: null, location: null, nativeControllerId: controller,
    },
  ]);
});

test('changes on the array are seen on the next listing of the same driver', { skip }, async () => {
  const d = driver({ storage: S1 });
  const before = (await all(d.listVolumes())).map((v) => v.nativeVolumeId).sort();
  assert.deepEqual(before, [`${S1}/Volumes/SimpleNamespace`, `${S1}/Volumes/VolA`, `${S1}/Volumes/VolB`]);
  assert.ok((await emu.request('DELETE', `${S1}/Volumes/VolB`)).status < 300);
  await emu.create(`${S1}/Volumes/VolC`, { Name: 'new', Status: OK, CapacityBytes: 7 * GiB });
  // PATCH replaces Capacity whole (ORIGIN.md): send all of it.
  await emu.request('PATCH', `${S1}/StoragePools/PoolA`, { Status: OK, Capacity: { Data: { AllocatedBytes: 10 * TiB, ConsumedBytes: 4 * TiB } } });
  const after = await all(d.listVolumes());
  assert.deepEqual(after.map((v) => v.nativeVolumeId).sort(), [`${S1}/Volumes/SimpleNamespace`, `${S1}/Volumes/VolA`, `${S1}/Volumes/VolC`]);
  assert.equal(after.find((v) => v.name === 'new')?.totalCapacity, big(7 * GiB));
  const poolA = (await d.listPools()).find((p) => p.name === 'Gold')!;
  assert.equal(poolA.usedCapacity, big(4 * TiB));
  assert.equal(poolA.subscribedCapacity, null, 'ProvisionedBytes went with the PATCH');
});

test('a collection in pages (Members@odata.nextLink) is read to its end; Members@odata.count is not trusted', { skip }, async () => {
  // A second page: the volume collection of another Storage, created through the API.
  await emu.create('/redfish/v1/Storage/Paging', { Name: 'paging', Status: OK });
  await emu.create('/redfish/v1/Storage/Paging/Volumes/P1', { Name: 'page two', Status: OK, CapacityBytes: 3 * GiB });
  // The emulator cannot page by itself: give the first page a next link in its stored state.
  const file = join(emu.dir, 'Resources/Storage/IPAttachedDrive1/Volumes/index.json');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(original), 'Members@odata.count': 1000, 'Members@odata.nextLink': '/redfish/v1/Storage/Paging/Volumes' }));
  try {
    const volumes = await all(driver({ storage: S1 }).listVolumes());
    assert.deepEqual(volumes.map((v) => v.nativeVolumeId).sort(), [
      `${S1}/Volumes/SimpleNamespace`, `${S1}/Volumes/VolA`, `${S1}/Volumes/VolC`, '/redfish/v1/Storage/Paging/Volumes/P1',
    ]);
  } finally {
    writeFileSync(file, original);
  }
});

const LOG = '/redfish/v1/Managers/EBOF-SoC/LogServices/Log/Entries';

test('listAlerts: the entries of the service\'s log, each named by its @odata.id; one created shows, one resolved goes', { skip }, async () => {
  const d = driver({ storage: S1 });
  const alerts = await d.listAlerts();
  assert.deepEqual(alerts.find((a) => a.sequenceNumber === `${LOG}/1`), {
    alertId: 'Event.1.0.TempWayTooHot',
    alertName: 'TempWayTooHot',
    severity: 'CRITICAL',
    category: 'FAULT',
    type: 'Event',
    description: 'System May be Melting',
    location: '/redfish/v1/Chassis/EBOFEnclosure/Thermal',
    resourceType: 'Thermal',
    sequenceNumber: `${LOG}/1`,
    occurredAt: new Date('2012-03-07T14:44:00Z'),
  });
  // What the emulator lets a client do with its log: see docs/drivers.md (Swordfish alerts).
  const created = await emu.request('POST', `${LOG}/2`, {
    '@odata.id': `${LOG}/2`, Id: '2', Name: 'Log Entry 2', EntryType: 'Event', Severity: 'Warning', Created: '2026-11-30T10:00:00Z',
    Message: 'Drive D2 predicted to fail', MessageId: 'Storage.1.0.DrivePredictedFailure',
    Links: { OriginOfCondition: { '@odata.id': '/redfish/v1/Chassis/EBOFEnclosure/Drives/D2' } },
  });
  if (created.status < 300) {
    const now = await d.listAlerts();
    const two = now.find((a) => a.sequenceNumber === `${LOG}/2`);
    assert.equal(two?.severity, 'WARNING');
    assert.equal(two?.resourceType, 'Drives');
    const resolved = await emu.request('PATCH', `${LOG}/2`, { Resolved: true });
    if (resolved.status < 300) assert.equal((await d.listAlerts()).some((a) => a.sequenceNumber === `${LOG}/2`), false);
    else console.log(`# the emulator refused a PATCH of a log entry (${resolved.status})`);
  } else {
    console.log(`# the emulator refused a new log entry (${created.status})`);
  }
  const caps = await d.capabilities();
  assert.equal(caps.clearAlert, undefined);
  assert.equal((d as { clearAlert?: unknown }).clearAlert, undefined, 'Redfish clears whole logs only: no clearAlert');
});

test('a wrong password: the array refused the credentials, and the password is not in the message', { skip }, async () => {
  const before = await sessionCount();
  const err = await failure(driver({ storage: S1 }, { password: 'Wrong-Secret-42' }).getStorage());
  assert.match(err.message, /refused the credentials of user Administrator \(HTTP 403/);
  assert.ok(!err.message.includes('Wrong-Secret-42'));
  assert.equal(await sessionCount(), before);
});

test('sessions: one per driver, reused by every call, deleted on close', { skip }, async () => {
  const before = await sessionCount();
  const d = driver({ storage: S1 });
  await d.getStorage();
  await d.listPools();
  await all(d.listVolumes());
  assert.equal(await sessionCount(), before + 1);
  await d.close();
  assert.equal(await sessionCount(), before);
  const closed = await failure(d.getStorage());
  assert.match(closed.message, /closed/);
});

test('an untrusted certificate is refused naming the problem and its SHA-256 fingerprint, before any credential is sent', { skip }, async () => {
  const before = await sessionCount();
  const err = await failure(driver({ storage: S1 }, { caCertificate: null }).getStorage());
  assert.match(err.message, /TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(self-signed certificate/);
  assert.ok(err.message.includes(fingerprint()), `${err.message} names ${fingerprint()}`);
  assert.equal(await sessionCount(), before);
});

test('caCertificate: the emulator\'s own certificate (PEM) is trusted', { skip }, async () => {
  const storage = await driver({ storage: S1 }, { caCertificate: emu.certPem }).getStorage();
  assert.equal(storage.name, 'NVMe IP Attached Drive Configuration');
});

test('a pinned fingerprint: the right one in either spelling connects, a wrong one is refused naming both', { skip }, async () => {
  for (const pin of [fingerprint(), fingerprint().replace(/:/g, '').toLowerCase(), `sha256:${fingerprint()}`]) {
    const storage = await driver({ storage: S1 }, { caCertificate: null, certificateFingerprint: pin }).getStorage();
    assert.equal(storage.name, 'NVMe IP Attached Drive Configuration');
  }
  const before = await sessionCount();
  const wrong = 'AB:'.repeat(31) + 'AB';
  const err = await failure(driver({ storage: S1 }, { caCertificate: null, certificateFingerprint: wrong }).getStorage());
  assert.match(err.message, /does not match the pinned fingerprint AB:AB/);
  assert.ok(err.message.includes(fingerprint()), err.message);
  assert.equal(await sessionCount(), before);
  assert.throws(() => driver({}, { certificateFingerprint: 'not-a-fingerprint' }), (e: Error) => e instanceof DriverInputError && /certificateFingerprint/.test(e.message));
});

test('verifyTls false connects to any certificate and warns once per driver instance', { skip }, async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }) => {
    if (w.code === 'DELFIN_TLS_UNVERIFIED') warnings.push(w.message);
  };
  process.on('warning', onWarning);
  try {
    const storage = await driver({ storage: S1 }, { caCertificate: null, verifyTls: false }).getStorage();
    assert.equal(storage.name, 'NVMe IP Attached Drive Configuration');
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, 1, 'one warning');
    assert.match(warnings[0]!, /TLS certificate of 127\.0\.0\.1:\d+ is not verified/);
  } finally {
    process.off('warning', onWarning);
  }
});

test('performance: IOStatistics counters become rates between two readings; a counter that went down is a reset', { skip }, async () => {
  const d = driver({ storage: S1 });
  const vol = `${S1}/Volumes/VolA`;
  const stats = (n: number) => ({
    ReadIORequests: 1000 * n, WriteIORequests: 500 * n, ReadHitIORequests: 800 * n, WriteHitIORequests: 500 * n,
    ReadIOKiBytes: 8000 * n, WriteIOKiBytes: 2000 * n, ReadIORequestTime: `PT${n}S`, WriteIORequestTime: `PT${0.25 * n}S`,
  });
  await emu.request('PATCH', vol, { Status: OK, IOStatistics: stats(1) });
  const caps = await d.capabilities();
  assert.equal(caps.cumulativeCounters, true);
  const metrics = ['iops', 'readIops', 'throughput', 'readResponseTime', 'writeResponseTime', 'ioSize', 'readCacheHitRatio', 'cacheHitRatio'];
  const window = { start: new Date(), end: new Date() };
  const first: CounterState = { previous: [] };
  // Through the timeout wrapper, as the worker calls it.
  const timed = withTimeouts(d, 10_000);
  assert.deepEqual(await timed.collectPerfMetrics('VOLUME', metrics, window, first), [], 'no rate without a previous reading');
  const reading1 = first.current!.find((r) => r.resourceId === vol)!;
  assert.deepEqual(reading1.values, {
    ReadIORequests: 1000, WriteIORequests: 500, ReadHitIORequests: 800, WriteHitIORequests: 500, ReadIOKiBytes: 8000, WriteIOKiBytes: 2000,
    ReadIORequestTimeMs: 1000, WriteIORequestTimeMs: 250,
  });
  await new Promise((r) => setTimeout(r, 50));
  await emu.request('PATCH', vol, { Status: OK, IOStatistics: stats(3) });
  const second: CounterState = { previous: first.current! };
  const series = await timed.collectPerfMetrics('VOLUME', metrics, window, second);
  const reading2 = second.current!.find((r) => r.resourceId === vol)!;
  const seconds = (reading2.at - reading1.at) / 1000;
  const value = (m: string) => series.find((s) => s.resourceId === vol && s.metric === m)!;
  assert.deepEqual(value('iops').timestamps, [reading2.at]);
  assert.equal(value('iops').values[0], 3000 / seconds);
  assert.equal(value('readIops').values[0], 2000 / seconds);
  assert.equal(value('throughput').values[0], 20000 / 1024 / seconds);
  assert.equal(value('readResponseTime').values[0], 1, '2000 ms over 2000 reads');
  assert.equal(value('writeResponseTime').values[0], 0.5, '500 ms over 1000 writes');
  assert.equal(value('ioSize').values[0], 20000 / 3000);
  assert.equal(value('readCacheHitRatio').values[0], 80);
  assert.equal(value('cacheHitRatio').values[0], (2600 / 3000) * 100);
  assert.equal(value('iops').unit, 'IOPS');
  assert.deepEqual(second.resets, []);

  await emu.request('PATCH', vol, { Status: OK, IOStatistics: stats(2) });
  const third: CounterState = { previous: second.current! };
  const afterReset = await timed.collectPerfMetrics('VOLUME', metrics, window, third);
  assert.equal(afterReset.filter((s) => s.resourceId === vol).length, 0, 'the window of a reset has no sample');
  assert.equal(third.resets!.length, 1);
  assert.equal(third.resets![0]!.resourceId, vol);
  assert.ok(third.resets![0]!.counters.includes('ReadIORequests'));

  const without = await failure(d.collectPerfMetrics('VOLUME', metrics, window));
  assert.match(without.message, /cumulative counters/);
});

test('no password, token or Basic credentials in any error message of the run', { skip }, async () => {
  // The emulator's session token is a JWT of the user and password: the same for every session.
  const login = await emu.request('POST', '/redfish/v1/SessionService/Sessions', { UserName: EMULATOR_USER, Password: EMULATOR_PASSWORD });
  const basic = Buffer.from(`${EMULATOR_USER}:${EMULATOR_PASSWORD}`).toString('base64');
  assert.ok(messages.length >= 7, `errors seen: ${messages.length}`);
  for (const message of messages) {
    assert.ok(!message.includes(EMULATOR_PASSWORD), message);
    assert.ok(!message.includes(basic), message);
    assert.ok(!message.includes('eyJ'), `no JWT in: ${message}`);
  }
  if (login.json?.['@odata.id']) await emu.request('DELETE', login.json['@odata.id']);
});

test('the array stopped: a clear DriverError within seconds, no hang', { skip }, async () => {
  const d = driver({ storage: S1 });
  await d.getStorage();
  await emu.stop();
  const started = Date.now();
  const err = await failure(d.listPools());
  assert.ok(Date.now() - started < 5000, `failed after ${Date.now() - started} ms`);
  assert.match(err.message, /cannot reach 127\.0\.0\.1:\d+: connection refused|connection to 127\.0\.0\.1:\d+ failed/);
  const fresh = await failure(driver({ storage: S1 }).getStorage());
  assert.match(fresh.message, /cannot reach 127\.0\.0\.1:\d+: connection refused/);
});
