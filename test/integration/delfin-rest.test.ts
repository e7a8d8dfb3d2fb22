// Delfin's REST API (issue 18): a whole Delfin-style session over REST only, every answer checked
// against Delfin's OpenAPI document; GraphQL and REST agree on the data; bad requests answer 400
// or 404 and change nothing; tokens and roles apply as on GraphQL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { restClient, type RestClient } from '../support/delfin-rest.js';
import { newToken } from '../../src/auth/tokens.js';
import { FAKE_RAISED, fakeVarbind, freeUdpPort, snmpTools } from '../support/snmp.js';

const ADMIN = newToken();
const OPERATOR = newToken();
const VIEWER = newToken();
const PASSWORD = 'p4ssw0rd-rest-secret';
const COMMUNITY = 'community-rest-secret';

const t = testEnv('delfinrest', { DELFIN_TOKENS: `admin:${ADMIN},operator:${OPERATOR},viewer:${VIEWER}` });
let delfin: DelfinProcess;
let url: string;
let rest: RestClient;
let trapPort: number;
const tools = snmpTools();

before(async () => {
  trapPort = await freeUdpPort();
  delfin = await startDelfin('all', { ...t.env, DELFIN_TRAP_PORT: String(trapPort), DELFIN_TRAP_HOST: '127.0.0.1' });
  url = delfin.url;
  rest = restClient(url.replace(/\/graphql$/, ''), ADMIN);
});

after(async () => {
  tools.cleanup();
  await delfin.stop();
  await t.cleanup();
});

const registration = (host: string, extra: Record<string, string> = {}) => ({
  vendor: 'fake_storage',
  model: 'fake_driver',
  rest: { host, port: '8443', username: 'admin', password: PASSWORD },
  extra_attributes: { pools: '3', volumes: '25', seed: '18', ...extra },
});

/** Polls GET /v1/storages/{id} until its sync_status is SYNCED. */
async function synced(id: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await rest('GET', `/v1/storages/${id}`);
    if (body.sync_status === 'SYNCED' && body.total_capacity > 0) return body;
    if (Date.now() > deadline) throw new Error(`storage ${id} did not sync: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** DELETE /v1/storages/{id}, then waits until the removal ran (GET answers 404). */
async function removed(id: string): Promise<void> {
  assert.equal((await rest('DELETE', `/v1/storages/${id}`)).status, 202);
  const deadline = Date.now() + 60_000;
  while ((await rest('GET', `/v1/storages/${id}`)).status !== 404) {
    assert.ok(Date.now() < deadline, `storage ${id} was not removed`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function allPages(path: string, limit: number, paging: 'offset' | 'marker'): Promise<any[]> {
  const items: any[] = [];
  for (;;) {
    const at = paging === 'offset' ? `offset=${items.length}` : items.length ? `marker=${items.at(-1).id}` : '';
    const { status, body } = await rest('GET', `${path}&limit=${limit}${at ? `&${at}` : ''}`);
    assert.equal(status, 200);
    items.push(...body.volumes);
    if (body.volumes.length < limit) return items;
  }
}

test('a Delfin session over REST only: register, sync, list, update, metrics-config, SNMP config, delete', async () => {
  const hardware = { disks: '6', controllers: '2', portsPerController: '2' };
  const reg = await rest('POST', '/v1/storages', { ...registration('10.18.0.1', hardware), name: 'rest-array', description: 'lab' });
  assert.equal(reg.status, 200, reg.text);
  const id = reg.body.id as string;
  assert.equal(reg.body.name, 'rest-array');
  assert.equal(reg.body.vendor, 'fake_storage');
  const storage = await synced(id);
  assert.equal(typeof storage.total_capacity, 'number');

  assert.equal((await rest('POST', `/v1/storages/${id}/sync`)).status, 202);
  await synced(id);
  assert.equal((await rest('POST', '/v1/storages/sync')).status, 202);
  await synced(id);

  const listed = await rest('GET', '/v1/storages?vendor=fake_storage&name=rest-array');
  assert.deepEqual(listed.body.storages.map((s: any) => s.id), [id]);
  assert.deepEqual((await rest('GET', '/v1/storages?name=no-such-array')).body.storages, []);
  const byStatus = (await rest('GET', `/v1/storages?status=${storage.status}&serial_number=${storage.serial_number}&model=fake_driver`)).body.storages;
  assert.deepEqual(byStatus.map((s: any) => s.id), [id]);

  const pools = (await rest('GET', `/v1/storage-pools?storage_id=${id}`)).body.storage_pools;
  assert.equal(pools.length, 3);
  const pool = (await rest('GET', `/v1/storage-pools/${pools[0].id}`)).body;
  assert.deepEqual(pool, pools[0]);
  assert.deepEqual((await rest('GET', `/v1/storage-pools?storage_id=${id}&name=${encodeURIComponent(pool.name)}`)).body.storage_pools, [pool]);

  // Paging: by offset and by marker, the same 25 volumes in the same order.
  const byOffset = await allPages(`/v1/volumes?storage_id=${id}`, 10, 'offset');
  const byMarker = await allPages(`/v1/volumes?storage_id=${id}`, 10, 'marker');
  assert.equal(byOffset.length, 25);
  assert.equal(new Set(byOffset.map((v) => v.id)).size, 25);
  assert.deepEqual(byMarker, byOffset);
  const inPool = (await rest('GET', `/v1/volumes?storage_id=${id}&native_storage_pool_id=${pool.native_storage_pool_id}`)).body.volumes;
  assert.deepEqual(inPool, byOffset.filter((v) => v.native_storage_pool_id === pool.native_storage_pool_id));
  const sorted = (await rest('GET', `/v1/volumes?storage_id=${id}&sort=name:desc&limit=5`)).body.volumes;
  assert.deepEqual(sorted.map((v: any) => v.name), byOffset.map((v) => v.name).sort().reverse().slice(0, 5));
  const volume = (await rest('GET', `/v1/volumes/${byOffset[0].id}`)).body;
  assert.deepEqual(volume, byOffset[0]);

  // Disks, controllers and ports: listed, filtered, paged and shown like pools and volumes.
  for (const [path, field, count] of [['/v1/disks', 'disks', 6], ['/v1/controllers', 'controllers', 2], ['/v1/ports', 'ports', 4]] as const) {
    const items = (await rest('GET', `${path}?storage_id=${id}`)).body[field];
    assert.equal(items.length, count, path);
    assert.deepEqual((await rest('GET', `${path}/${items[1].id}`)).body, items[1]);
    assert.deepEqual((await rest('GET', `${path}?storage_id=${id}&limit=1&offset=1`)).body[field], [items[1]]);
    assert.deepEqual((await rest('GET', `${path}?storage_id=${id}&name=${encodeURIComponent(items[0].name)}`)).body[field], [items[0]]);
  }

  const access = await rest('GET', `/v1/storages/${id}/access-info`);
  assert.deepEqual(access.body.rest, { host: '10.18.0.1', port: '8443', username: 'admin' });
  assert.equal(access.body.extra_attributes.pools, '3');
  const updated = await rest('PUT', `/v1/storages/${id}/access-info`, {
    rest: { username: 'admin', password: PASSWORD }, extra_attributes: { pools: '3', volumes: '25', seed: '18', latencyMs: '0', ...hardware },
  });
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.body.extra_attributes.latencyMs, '0');
  const all = await rest('GET', '/v1/storages/access-infos');
  assert.deepEqual(all.body.access_infos.map((a: any) => a.id), [id]);

  const config = { array_polling: { perf_collection: true, interval: 900, is_historic: false }, volume_polling: { perf_collection: false, interval: 600 } };
  const setConfig = await rest('PUT', `/v1/storages/${id}/metrics-config`, config);
  assert.equal(setConfig.status, 200, setConfig.text);
  assert.deepEqual(setConfig.body.array_polling, config.array_polling);
  assert.deepEqual((await rest('GET', `/v1/storages/${id}/metrics-config`)).body, setConfig.body);

  const snmp = await rest('PUT', `/v1/storages/${id}/snmp-config`, { version: 'SNMPV2C', host: '127.0.0.1', community_string: COMMUNITY });
  assert.equal(snmp.status, 200, snmp.text);
  assert.equal(snmp.body.version, 'SNMPV2C');
  assert.deepEqual((await rest('GET', `/v1/storages/${id}/snmp-config`)).body, snmp.body);
  const v3 = await rest('PUT', `/v1/storages/${id}/snmp-config`, {
    version: 'SNMPV3', host: '127.0.0.1', username: 'delfin', security_level: 'authPriv', auth_protocol: 'SHA', auth_key: 'auth-key-secret', privacy_protocol: 'AES', privacy_key: 'priv-key-secret',
  });
  assert.equal(v3.status, 200, v3.text);
  assert.equal(v3.body.security_level, 'authPriv');
  assert.deepEqual((await rest('GET', '/v1/storages/snmp-configs')).body.snmp_configs, [v3.body]);
  assert.equal((await rest('DELETE', `/v1/storages/${id}/snmp-config`)).status, 200);
  assert.equal((await rest('GET', `/v1/storages/${id}/snmp-config`)).status, 404);
  assert.equal((await rest('DELETE', `/v1/storages/${id}/snmp-config`)).status, 404);

  const caps = await rest('GET', `/v1/storages/${id}/capabilities`);
  assert.equal(caps.status, 200, caps.text);
  assert.equal(caps.body.metadata.vendor, 'fake_storage');
  assert.equal((await rest('DELETE', `/v1/storages/${id}/alerts/7`)).status, 404);

  // What this server does not hold: 501, saying so.
  const notHeld = [
    ...['filesystems', 'qtrees', 'quotas', 'shares'].flatMap((r) => [`/v1/${r}`, `/v1/${r}/${id}`]),
    ...['storage-host-initiators', 'storage-hosts', 'storage-host-groups', 'port-groups', 'volume-groups', 'masking-views'].map((r) => `/v1/storages/${id}/${r}`),
  ];
  for (const path of notHeld) {
    const answer = await rest('GET', path);
    assert.equal(answer.status, 501, path);
    assert.match(answer.body.error_msg, /not implemented/);
  }

  await removed(id);
});

test('an alert is cleared by its sequence number', async () => {
  const id = (await rest('POST', '/v1/storages', registration('10.18.0.7'))).body.id;
  assert.equal((await rest('PUT', `/v1/storages/${id}/snmp-config`, { version: 'SNMPV2C', host: '127.0.0.1', community_string: COMMUNITY })).status, 200);
  const trap = [[1, 'disk-failed'], [2, 'Disk failed'], [3, 'Major'], [4, 'Fault'], [5, 'a disk failed'], [7, '4242']].map(([n, v]) => fakeVarbind(n as number, v as string));
  const ALERTS = `query($s: ID) { alerts(storageId: $s) { edges { node { sequenceNumber state } } } }`;
  // The receiver reloads its sources when told: the trap is sent until one is stored.
  for (let tries = 0; ; tries++) {
    await tools.send('snmptrap', ['-v', '2c', '-c', COMMUNITY, `127.0.0.1:${trapPort}`, '', FAKE_RAISED, ...trap.flat()]);
    await new Promise((r) => setTimeout(r, 300));
    if ((await gql(url, ALERTS, { s: id }, ADMIN)).alerts.edges.length > 0) break;
    assert.ok(tries < 50, 'the trap was never stored');
  }
  assert.equal((await rest('DELETE', `/v1/storages/${id}/alerts/4242`)).status, 200);
  assert.deepEqual((await gql(url, ALERTS, { s: id }, ADMIN)).alerts.edges.map((e: any) => e.node), [{ sequenceNumber: '4242', state: 'CLEARED' }]);
  assert.equal((await rest('DELETE', `/v1/storages/${id}/alerts/4242`)).status, 404);
  // The simulator lists its alerts: Delfin's alert sync queues a sync of the storage, which reads them.
  const SYNCS = `query($s: ID) { tasks(storageId: $s) { totalCount } }`;
  const before = (await gql(url, SYNCS, { s: id }, ADMIN)).tasks.totalCount;
  const sync = await rest('POST', `/v1/storages/${id}/alerts/sync`, {});
  assert.equal(sync.status, 200, sync.text);
  assert.equal((await gql(url, SYNCS, { s: id }, ADMIN)).tasks.totalCount, before + 1);
  await removed(id);
});

test('no password, community or key in any answer', async () => {
  const id = (await rest('POST', '/v1/storages', registration('10.18.0.2'))).body.id;
  await rest('PUT', `/v1/storages/${id}/snmp-config`, { version: 'SNMPV2C', host: '127.0.0.2', community_string: COMMUNITY });
  const answers = await Promise.all([
    rest('GET', `/v1/storages/${id}/access-info`), rest('GET', '/v1/storages/access-infos'), rest('GET', `/v1/storages/${id}/snmp-config`),
    rest('GET', '/v1/storages/snmp-configs'), rest('GET', '/v1/storages'), rest('GET', `/v1/storages/${id}`),
  ]);
  for (const a of answers) {
    assert.equal(a.status, 200);
    assert.ok(!a.text.includes(PASSWORD) && !a.text.includes(COMMUNITY), a.text);
    assert.ok(!/"(password|community_string|auth_key|privacy_key)"/.test(a.text), a.text);
  }
  await removed(id);
});

test('GraphQL and REST agree on the data', async () => {
  const id = (await rest('POST', '/v1/storages', registration('10.18.0.3', { volumes: '12', disks: '5', controllers: '2', portsPerController: '3' }))).body.id;
  const s = await synced(id);
  const q = `query($id: ID!) { storage(id: $id) { id name vendor model serialNumber status totalCapacity usedCapacity freeCapacity
    accessInfo { rest { host port username } extraAttributes }
    pools(first: 100) { edges { node { id name nativeStoragePoolId status totalCapacity usedCapacity freeCapacity } } }
    volumes(first: 100) { edges { node { id name nativeVolumeId nativeStoragePoolId status type totalCapacity usedCapacity freeCapacity wwn } } }
    disks(first: 100) { edges { node { id name nativeDiskId capacity serialNumber status } } }
    controllers(first: 100) { edges { node { id name nativeControllerId memoryBytes firmware } } }
    ports(first: 100) { edges { node { id name nativePortId nativeControllerId wwn macAddress speedGbps } } } } }`;
  const { storage } = await gql(url, q, { id }, ADMIN);
  assert.deepEqual(
    { id: s.id, name: s.name, vendor: s.vendor, model: s.model, serial: s.serial_number, status: s.status, total: s.total_capacity, used: s.used_capacity, free: s.free_capacity },
    { id: storage.id, name: storage.name, vendor: storage.vendor, model: storage.model, serial: storage.serialNumber, status: storage.status.toLowerCase(), total: Number(storage.totalCapacity), used: Number(storage.usedCapacity), free: Number(storage.freeCapacity) },
  );
  const pools = (await rest('GET', `/v1/storage-pools?storage_id=${id}`)).body.storage_pools;
  assert.deepEqual(
    pools.map((p: any) => [p.id, p.name, p.native_storage_pool_id, p.status, p.total_capacity, p.used_capacity, p.free_capacity]),
    storage.pools.edges.map(({ node: p }: any) => [p.id, p.name, p.nativeStoragePoolId, p.status.toLowerCase(), Number(p.totalCapacity), Number(p.usedCapacity), Number(p.freeCapacity)]),
  );
  const volumes = (await rest('GET', `/v1/volumes?storage_id=${id}`)).body.volumes;
  assert.deepEqual(
    volumes.map((v: any) => [v.id, v.name, v.native_volume_id, v.native_storage_pool_id, v.status, v.type, v.total_capacity, v.used_capacity, v.free_capacity, v.wwn]),
    storage.volumes.edges.map(({ node: v }: any) => [v.id, v.name, v.nativeVolumeId, v.nativeStoragePoolId, v.status.toLowerCase(), v.type?.toLowerCase(), Number(v.totalCapacity), Number(v.usedCapacity), Number(v.freeCapacity), v.wwn ?? undefined]),
  );
  const disks = (await rest('GET', `/v1/disks?storage_id=${id}`)).body.disks;
  assert.deepEqual(
    disks.map((d: any) => [d.id, d.name, d.native_disk_id, d.capacity, d.serial_number, d.status]),
    storage.disks.edges.map(({ node: d }: any) => [d.id, d.name, d.nativeDiskId, Number(d.capacity), d.serialNumber ?? undefined, d.status === 'UNKNOWN' ? undefined : d.status.toLowerCase()]),
  );
  const controllers = (await rest('GET', `/v1/controllers?storage_id=${id}`)).body.controllers;
  assert.deepEqual(
    controllers.map((c: any) => [c.id, c.name, c.native_controller_id, c.memory_size, c.soft_version]),
    storage.controllers.edges.map(({ node: c }: any) => [c.id, c.name, c.nativeControllerId, c.memoryBytes === null ? undefined : Number(c.memoryBytes), c.firmware ?? undefined]),
  );
  const ports = (await rest('GET', `/v1/ports?storage_id=${id}`)).body.ports;
  assert.deepEqual(
    ports.map((p: any) => [p.id, p.name, p.native_port_id, p.native_parent_id, p.wwn, p.mac_address, p.speed]),
    storage.ports.edges.map(({ node: p }: any) => [p.id, p.name, p.nativePortId, p.nativeControllerId ?? undefined, p.wwn ?? undefined, p.macAddress ?? undefined, p.speedGbps === null ? undefined : Math.round(p.speedGbps * 1e9)]),
  );
  const access = (await rest('GET', `/v1/storages/${id}/access-info`)).body;
  assert.deepEqual(access.rest, { ...storage.accessInfo.rest, port: String(storage.accessInfo.rest.port) });

  // A change by one API shows in the other.
  await gql(url, `mutation($id: ID!) { updateMetricsConfig(storageId: $id, input: { poolPolling: { perfCollection: true, interval: 1200, isHistoric: false } }) { storageId } }`, { id }, ADMIN);
  assert.deepEqual((await rest('GET', `/v1/storages/${id}/metrics-config`)).body.pool_polling, { perf_collection: true, interval: 1200, is_historic: false });
  await rest('PUT', `/v1/storages/${id}/snmp-config`, { version: 'SNMPV2C', host: '127.0.0.3', community_string: COMMUNITY });
  const { storage: withSource } = await gql(url, `query($id: ID!) { storage(id: $id) { alertSource { host version } } }`, { id }, ADMIN);
  assert.deepEqual(withSource.alertSource, { host: '127.0.0.3', version: 'V2C' });
  await removed(id);
});

test('bad requests answer 400 or 404 with Delfin\'s ErrorSpec and change nothing', async () => {
  const before = (await rest('GET', '/v1/storages')).body.storages.length;
  const id = (await rest('POST', '/v1/storages', registration('10.18.0.4'))).body.id;
  await synced(id);
  const bad: Array<[string, string, unknown, number]> = [
    ['GET', '/v1/volumes?limit=abc', undefined, 400],
    ['GET', '/v1/volumes?limit=0', undefined, 400],
    ['GET', '/v1/volumes?offset=-1', undefined, 400],
    ['GET', '/v1/volumes?colour=blue', undefined, 400],
    ['GET', '/v1/volumes?status=noraml', undefined, 400],
    ['GET', '/v1/storages?status=broken', undefined, 400],
    ['GET', '/v1/volumes?marker=not-an-id', undefined, 400],
    ['POST', '/v1/storages', { ...registration('10.18.0.5'), colour: 'blue' }, 400],
    ['POST', '/v1/storages', { ...registration('10.18.0.5'), rest: { host: '10.18.0.5', port: 8443, username: 'admin', password: PASSWORD } }, 400],
    ['POST', '/v1/storages', { model: 'fake_driver', rest: registration('10.18.0.5').rest }, 400],
    ['POST', '/v1/storages', { vendor: 'fake_storage', model: 'fake_driver' }, 400],
    ['POST', '/v1/storages', { ...registration('10.18.0.5'), rest: { host: '10.18.0.5', port: '99999', username: 'admin', password: PASSWORD } }, 400],
    ['POST', '/v1/storages', '{"vendor": ', 400],
    ['PUT', `/v1/storages/${id}/access-info`, { rest: { username: 'admin' } }, 400],
    ['PUT', `/v1/storages/${id}/snmp-config`, { version: 'SNMPV1', host: '127.0.0.9' }, 400],
    ['PUT', `/v1/storages/${id}/snmp-config`, { version: 'SNMPV2C', host: 'not-an-ip', community_string: COMMUNITY }, 400],
    ['PUT', `/v1/storages/${id}/metrics-config`, { array_polling: { perf_collection: 'yes' } }, 400],
    ['PUT', `/v1/storages/${id}/metrics-config`, { array_polling: { perf_collection: true, interval: 1 } }, 400],
    ['PUT', `/v1/storages/${id}/metrics-config`, {}, 400],
    ['POST', '/v1/storages', { ...registration('10.18.0.5'), rest: { host: 'not a host!', port: '8443', username: 'admin', password: PASSWORD } }, 400],
    ['POST', '/v1/storages', { ...registration('10.18.0.5'), name: 'n'.repeat(300) }, 400],
    ['POST', '/v1/storages', { ...registration('10.18.0.5'), cli: { host: '10.18.0.5', username: 'admin', password: PASSWORD } }, 400],
    ['POST', '/v1/storages', { ...registration('10.18.0.5'), extra_attributes: { pools: 3 } }, 400],
    ['GET', '/v1/storages/not-an-id', undefined, 404],
    ['GET', '/v1/storages/0190a7a4-0000-7000-8000-000000000000', undefined, 404],
    ['DELETE', '/v1/storages/not-an-id', undefined, 404],
    ['POST', '/v1/storages/not-an-id/sync', undefined, 404],
    ['GET', '/v1/storage-pools/not-an-id', undefined, 404],
    ['GET', '/v1/volumes/0190a7a4-0000-7000-8000-000000000000', undefined, 404],
    ['PUT', '/v1/storages/not-an-id/metrics-config', { array_polling: { perf_collection: true } }, 404],
    ['GET', '/v1/no-such-thing', undefined, 404],
    ['PUT', `/v1/storages/${id}/sync`, {}, 405],
  ];
  for (const [method, path, body, status] of bad) {
    const answer = await rest(method, path, body);
    assert.equal(answer.status, status, `${method} ${path}: ${answer.text}`);
  }
  // A service's refusal names the field as the REST user sent it.
  const interval = await rest('PUT', `/v1/storages/${id}/metrics-config`, { array_polling: { perf_collection: true, interval: 1 } });
  assert.deepEqual([interval.body.error_code, interval.body.error_args], ['InvalidInput', ['array_polling.interval']]);
  assert.match(interval.body.error_msg, /^array_polling\.interval must be between/);
  assert.equal((await rest('POST', '/v1/storages', registration('10.18.0.4'))).status, 409);
  assert.equal((await rest('GET', '/v1/storages')).body.storages.length, before + 1);
  assert.equal((await rest('GET', `/v1/storages/${id}/snmp-config`)).status, 404);
  assert.deepEqual((await rest('GET', `/v1/storages/${id}/access-info`)).body.rest, { host: '10.18.0.4', port: '8443', username: 'admin' });
  await removed(id);
});

test('tokens and roles apply as on GraphQL; a foreign page cannot post', async () => {
  const viewer = restClient(url.replace(/\/graphql$/, ''), VIEWER);
  const operator = restClient(url.replace(/\/graphql$/, ''), OPERATOR);
  assert.equal((await rest('GET', '/v1/storages', undefined, { token: '' })).status, 401);
  assert.equal((await rest('GET', '/v1/storages', undefined, { token: 'not-a-token' })).status, 401);
  assert.equal((await viewer('GET', '/v1/storages')).status, 200);
  assert.equal((await viewer('POST', '/v1/storages', registration('10.18.0.6'))).status, 403);
  assert.equal((await operator('POST', '/v1/storages', registration('10.18.0.6'))).status, 403);
  const id = (await rest('POST', '/v1/storages', registration('10.18.0.6'))).body.id;
  assert.equal((await viewer('POST', `/v1/storages/${id}/sync`)).status, 403);
  assert.equal((await operator('POST', `/v1/storages/${id}/sync`)).status, 202);
  assert.equal((await operator('PUT', `/v1/storages/${id}/access-info`, { rest: { username: 'admin', password: PASSWORD } })).status, 403);
  assert.equal((await operator('PUT', `/v1/storages/${id}/snmp-config`, { version: 'SNMPV2C', host: '127.0.0.6', community_string: COMMUNITY })).status, 403);
  assert.equal((await viewer('PUT', `/v1/storages/${id}/metrics-config`, { array_polling: { perf_collection: true } })).status, 403);
  assert.equal((await operator('DELETE', `/v1/storages/${id}`)).status, 403);
  // Cross-site: a form post, and a post from another site's page.
  const form = await rest('POST', '/v1/storages/sync', 'a=b', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.status, 400);
  assert.equal((await rest('POST', '/v1/storages/sync', undefined, { headers: { origin: 'https://evil.example' } })).status, 400);
  await removed(id);
});
