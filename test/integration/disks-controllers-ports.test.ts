// Disks, controllers and ports (issue 14): a sync stores them and counts them in SyncStats;
// the API shows them on their storage and across storages, in pages; a resync of a churned
// array counts exactly what the simulator changed; deleting the storage takes them along.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, UPDATE_ACCESS } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { DELETE_STORAGE, firstTaskOf } from '../support/tasks.js';
import { FakeDriver } from '../../src/drivers/fake/fake-driver.js';
import type { Page } from '../../src/drivers/driver.js';

const t = testEnv('hardware');
let delfin: DelfinProcess;
let url: string;

before(async () => {
  delfin = await startDelfin('all', t.env);
  url = delfin.url;
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

const HOST = '10.14.0.1';
const ATTRS = { pools: 2, volumes: 20, disks: 60, controllers: 2, portsPerController: 6, seed: 14, pageSize: 25 };
const ALL_STATS = `poolsAdded poolsUpdated poolsDeleted volumesAdded volumesUpdated volumesDeleted
  disksAdded disksUpdated disksDeleted controllersAdded controllersUpdated controllersDeleted
  portsAdded portsUpdated portsDeleted`;
const TASK_STATS = `query($id: ID!) { task(id: $id) { status error phase stats { ${ALL_STATS} } } }`;

const STORAGE_HARDWARE = `query($id: ID!, $first: Int, $after: String) { storage(id: $id) {
  capabilities { resources }
  disks(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id nativeDiskId name status mediaType capacity serialNumber speedGbps location storage { id } } } }
  controllers(first: $first) { totalCount edges { node { id nativeControllerId name status memoryBytes firmware } } }
  ports(first: $first) { totalCount edges { node { id nativePortId type connectionStatus healthStatus speedGbps wwn macAddress nativeControllerId } } }
} }`;

const TOP_DISKS = `query($s: ID, $first: Int, $after: String) { disks(storageId: $s, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { nativeDiskId capacity storage { id } } } } }`;

let storageId: string;

/** The simulator's listing at `revision`, whole, as the driver gives it. */
async function deviceAt<T>(revision: number, list: (d: FakeDriver) => AsyncIterable<Page<T>>): Promise<T[]> {
  const input = fakeInput(HOST, { ...ATTRS, revision });
  const items: T[] = [];
  for await (const p of list(new FakeDriver({ rest: input.rest, extraAttributes: input.extraAttributes }))) items.push(...p.items);
  return items;
}

const dump = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

/** What a sync from one listing to the other adds, updates and deletes. */
function diff<T>(before: T[], afterList: T[], key: (x: T) => string) {
  const was = new Map(before.map((x) => [key(x), dump(x)]));
  const is = new Map(afterList.map((x) => [key(x), dump(x)]));
  return {
    added: [...is.keys()].filter((k) => !was.has(k)).length,
    updated: [...is.keys()].filter((k) => was.has(k) && was.get(k) !== is.get(k)).length,
    deleted: [...was.keys()].filter((k) => !is.has(k)).length,
  };
}

test('the first sync stores every disk, controller and port and counts them', async () => {
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput(HOST, ATTRS, 'hardware-array') });
  storageId = s.id;
  const first = await waitForTask(url, (await firstTaskOf(url, s.id)).id);
  assert.equal(first.status, 'SUCCEEDED', first.error);
  const { task } = await gql(url, TASK_STATS, { id: first.id });
  assert.deepEqual(task.stats, {
    poolsAdded: 2, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 20, volumesUpdated: 0, volumesDeleted: 0,
    disksAdded: 60, disksUpdated: 0, disksDeleted: 0, controllersAdded: 2, controllersUpdated: 0, controllersDeleted: 0,
    portsAdded: 12, portsUpdated: 0, portsDeleted: 0,
  });
});

test('Storage.disks, controllers and ports show what the device has, in pages; capabilities say so', async () => {
  const { storage } = await gql(url, STORAGE_HARDWARE, { id: storageId, first: 25 });
  assert.deepEqual(storage.capabilities.resources, ['STORAGE', 'STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT']);
  assert.equal(storage.disks.totalCount, 60);
  assert.equal(storage.disks.edges.length, 25);
  assert.equal(storage.disks.pageInfo.hasNextPage, true);
  assert.ok(storage.disks.edges.every((e: any) => e.node.storage.id === storageId));

  // Paging through every disk gives each once, and exactly the device's disks.
  const seen: any[] = [];
  let after: string | null = null;
  for (;;) {
    const { storage: page }: any = await gql(url, STORAGE_HARDWARE, { id: storageId, first: 25, after });
    seen.push(...page.disks.edges.map((e: any) => e.node));
    if (!page.disks.pageInfo.hasNextPage) break;
    after = page.disks.pageInfo.endCursor;
  }
  const device = await deviceAt(0, (d) => d.listDisks());
  assert.deepEqual(seen.map((d) => d.nativeDiskId).sort(), device.map((d) => d.nativeDiskId).sort());
  const one = device[0]!;
  const shown = seen.find((d) => d.nativeDiskId === one.nativeDiskId);
  assert.deepEqual(
    { name: shown.name, status: shown.status, mediaType: shown.mediaType, capacity: shown.capacity, serialNumber: shown.serialNumber, speedGbps: shown.speedGbps, location: shown.location },
    { name: one.name, status: one.status, mediaType: one.mediaType, capacity: String(one.capacity), serialNumber: one.serialNumber, speedGbps: one.speedGbps, location: one.location },
  );

  assert.equal(storage.controllers.totalCount, 2);
  assert.deepEqual(storage.controllers.edges.map((e: any) => e.node.nativeControllerId).sort(), ['ctrl-01', 'ctrl-02']);
  assert.equal(storage.ports.totalCount, 12);
  const ports = storage.ports.edges.map((e: any) => e.node);
  assert.ok(ports.every((p: any) => ['ctrl-01', 'ctrl-02'].includes(p.nativeControllerId)));
  assert.ok(ports.some((p: any) => p.type === 'FC' && p.wwn) && ports.some((p: any) => p.type === 'ISCSI' && p.macAddress));
});

test('the top-level queries list across storages or of one, and name each one\'s storage', async () => {
  const { registerStorage: other } = await gql(url, REGISTER, { input: fakeInput('10.14.0.2', { disks: 5, controllers: 1, portsPerController: 2 }) });
  assert.equal((await waitForTask(url, (await firstTaskOf(url, other.id)).id)).status, 'SUCCEEDED');
  const all = (await gql(url, TOP_DISKS, { first: 100 })).disks;
  assert.equal(all.totalCount, 65);
  assert.deepEqual(new Set(all.edges.map((e: any) => e.node.storage.id)), new Set([storageId, other.id]));
  const mine = (await gql(url, TOP_DISKS, { s: other.id, first: 3 })).disks;
  assert.equal(mine.totalCount, 5);
  assert.equal(mine.edges.length, 3);
  const rest = (await gql(url, TOP_DISKS, { s: other.id, first: 3, after: mine.pageInfo.endCursor })).disks;
  assert.equal(rest.edges.length, 2);
  assert.equal(rest.pageInfo.hasNextPage, false);
  const { controllers, ports } = await gql(url, `query($s: ID) { controllers(storageId: $s) { totalCount edges { node { storage { id } } } }
    ports(storageId: $s) { totalCount edges { node { nativeControllerId storage { id } } } } }`, { s: other.id });
  assert.equal(controllers.totalCount, 1);
  assert.equal(ports.totalCount, 2);
  assert.ok(ports.edges.every((e: any) => e.node.storage.id === other.id && e.node.nativeControllerId === 'ctrl-01'));

  const bad = await gqlError(url, '{ disks(storageId: "nope") { totalCount } }');
  assert.equal(bad.code, 'BAD_USER_INPUT');
  assert.match(bad.message, /storageId must be an id given by this API; got "nope"/);
});

test('a resync of the churned array counts exactly the disks and ports it changed', async () => {
  for (const r of [1, 2]) {
    await gql(url, UPDATE_ACCESS, { id: storageId, input: { extraAttributes: { ...ATTRS, revision: r } } });
    const { syncStorage } = await gql(url, SYNC, { id: storageId });
    assert.equal((await waitForTask(url, syncStorage.id)).status, 'SUCCEEDED');
    const { task } = await gql(url, TASK_STATS, { id: syncStorage.id });
    const disks = diff(await deviceAt(r - 1, (d) => d.listDisks()), await deviceAt(r, (d) => d.listDisks()), (d) => d.nativeDiskId);
    const ports = diff(await deviceAt(r - 1, (d) => d.listPorts()), await deviceAt(r, (d) => d.listPorts()), (p) => p.nativePortId);
    assert.ok(disks.added > 0 && disks.updated + disks.deleted > 0 && ports.updated > 0, `revision ${r} changes hardware`);
    assert.deepEqual(
      {
        disks: [task.stats.disksAdded, task.stats.disksUpdated, task.stats.disksDeleted],
        controllers: [task.stats.controllersAdded, task.stats.controllersUpdated, task.stats.controllersDeleted],
        ports: [task.stats.portsAdded, task.stats.portsUpdated, task.stats.portsDeleted],
      },
      { disks: [disks.added, disks.updated, disks.deleted], controllers: [0, 0, 0], ports: [ports.added, ports.updated, ports.deleted] },
    );
    const { storage } = await gql(url, STORAGE_HARDWARE, { id: storageId, first: 1 });
    assert.equal(storage.disks.totalCount, (await deviceAt(r, (d) => d.listDisks())).length);
  }
  // Nothing changed since: a resync writes nothing.
  const { syncStorage } = await gql(url, SYNC, { id: storageId });
  await waitForTask(url, syncStorage.id);
  const { task } = await gql(url, TASK_STATS, { id: syncStorage.id });
  assert.ok(Object.values(task.stats).every((n) => n === 0), JSON.stringify(task.stats));
});

test('deleteStorage removes its disks, controllers and ports', async () => {
  const { deleteStorage } = await gql(url, DELETE_STORAGE, { id: storageId });
  assert.equal((await waitForTask(url, deleteStorage.id)).status, 'SUCCEEDED');
  const { disks, controllers, ports } = await gql(url, `query($s: ID) { disks(storageId: $s) { totalCount } controllers(storageId: $s) { totalCount } ports(storageId: $s) { totalCount } }`, { s: storageId });
  assert.deepEqual([disks.totalCount, controllers.totalCount, ports.totalCount], [0, 0, 0]);
  // In the database too: no row of the storage is left behind in any of the three tables.
  const db = new pg.Client({ connectionString: t.env.DATABASE_URL });
  await db.connect();
  try {
    for (const table of ['disk', 'controller', 'port']) {
      const { rows } = await db.query(`select count(*)::int as n from ${table} where storage_id = $1`, [storageId]);
      assert.equal(rows[0].n, 0, table);
    }
  } finally {
    await db.end();
  }
});
