// Fuzz of what drivers return: a plugin driver (a real package on disk, loaded through
// DELFIN_DRIVERS by a real `delfin all`) answers scenarios made malformed, huge, duplicate or
// contradictory. Each sync either fails with a reason, leaving the array, its pools and its
// hardware exactly as they were (and deleting no volume), or succeeds, and then every stored row
// equals the device's answer (the first of a duplicated id counting). Seeded: DELFIN_FUZZ_SEED
// replays a run, DELFIN_FUZZ_CASES runs more cases (docs/security.md, Fuzzing).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { REGISTER, SYNC } from '../support/operations.js';
import { waitForTask } from '../support/wait.js';
import { firstTaskOf } from '../support/tasks.js';
import { withDb } from '../support/db.js';
import { FUZZY_DRIVER, encodeScenario, packageDir, type PackageDir } from '../support/driver-packages.js';
import { fuzzCases, fuzzSeed, prng, replay, type Rng } from '../support/fuzz-seed.js';
import { CONTROLLERS, DISKS, POOLS, PORTS, VOLUMES, type ResourceTable } from '../../src/db/stores/resource-table.js';
import { DEVICE_STATE_COLUMNS, deviceState } from '../../src/db/stores/storage-store.js';
import {
  CONTROLLER_SHAPE, DISK_SHAPE, POOL_SHAPE, PORT_SHAPE, STORAGE_SHAPE, VOLUME_SHAPE, listProblem, pageProblem, resourceProblem, type DeviceShape,
} from '../../src/tasks/kinds/sync/device-checks.js';
import { MAX_BYTES } from '../../src/tasks/kinds/sync/device-fields.js';

const SEED = fuzzSeed(20261201);
const CASES = fuzzCases(24);
const GiB = 1024n ** 3n;

type Item = Record<string, unknown>;
interface Scenario {
  storage: unknown;
  pools: unknown;
  volumePages: unknown[];
  diskPages: unknown[];
  controllerPages: unknown[];
  portPages: unknown[];
}

const t = testEnv('driverfuzz');
let pkgs: PackageDir;
let dir: string;
let delfin: DelfinProcess;
let storageId: string;
const scenarioPath = () => join(dir, 'scenario.json');

before(async () => {
  pkgs = packageDir();
  pkgs.write('fuzzy-delfin-driver', FUZZY_DRIVER);
  dir = mkdtempSync(join(tmpdir(), 'delfin-driver-fuzz-'));
  delfin = await startDelfin('all', { ...t.env, NODE_PATH: pkgs.nodeModules, DELFIN_DRIVERS: 'fuzzy-delfin-driver' });
  writeFileSync(scenarioPath(), encodeScenario(validScenario(prng(SEED))));
  const input = { vendor: 'fuzzy', model: 'f1', rest: { host: '10.88.0.1', port: 443, username: 'u', password: 'p' }, extraAttributes: { scenario: scenarioPath() } };
  const { registerStorage } = await gql(delfin.url, REGISTER, { input });
  storageId = registerStorage.id;
  const first = await waitForTask(delfin.url, (await firstTaskOf(delfin.url, storageId)).id);
  assert.equal(first.status, 'SUCCEEDED', JSON.stringify(first));
});

after(async () => {
  await delfin?.stop();
  await t.cleanup();
  pkgs?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- a valid device, drawn from the seed ----

const NAMES = ['plain', 'tab\there', 'new\nline', 'back\\slash', '\\N', 'ünïcødé', '🐬 dolphin', '', 'quote"s\'', ' spaced '];
const status = (rng: Rng) => rng.pick(['NORMAL', 'OFFLINE', 'ABNORMAL', 'DEGRADED', 'UNKNOWN']);
const health = (rng: Rng) => rng.pick(['NORMAL', 'ABNORMAL', 'OFFLINE', 'UNKNOWN']);
const bytes = (rng: Rng) => BigInt(rng.int(1000)) * GiB + BigInt(rng.int(1024));
const idOf = (rng: Rng, prefix: string, n: number) => `${prefix}${rng.int(n)}${rng.chance(0.1) ? rng.pick(['\t', '\\', 'é', ' x']) : ''}`;

function capacities(rng: Rng) {
  const total = bytes(rng);
  const used = total === 0n ? 0n : BigInt(rng.int(1000)) * (total / 1000n);
  return { totalCapacity: total, usedCapacity: used, freeCapacity: total - used };
}

function unique<T extends Item>(items: T[], key: string): T[] {
  const seen = new Set<unknown>();
  return items.filter((i) => !seen.has(i[key]) && seen.add(i[key]));
}

function pages<T>(rng: Rng, items: T[]): Array<{ items: T[]; total?: number }> {
  const out: Array<{ items: T[]; total?: number }> = [];
  const size = 1 + rng.int(6);
  const total = rng.chance(0.5) ? items.length : undefined;
  for (let i = 0; i < items.length; i += size) out.push({ items: items.slice(i, i + size), ...(total !== undefined ? { total } : {}) });
  return out.length ? out : [{ items: [] }];
}

function validScenario(rng: Rng): Scenario {
  const pools = unique(Array.from({ length: 1 + rng.int(4) }, () => ({
    nativeStoragePoolId: idOf(rng, 'p', 6), name: rng.pick(NAMES), status: status(rng), storageType: rng.pick(['BLOCK', 'FILE', 'UNIFIED', null]), ...capacities(rng),
  })), 'nativeStoragePoolId');
  const volumes = unique(Array.from({ length: rng.int(14) }, () => ({
    nativeVolumeId: idOf(rng, 'v', 20), name: rng.pick(NAMES), description: rng.chance(0.3) ? rng.pick(NAMES) : null,
    status: rng.pick(['AVAILABLE', 'ERROR']), type: rng.pick(['THIN', 'THICK', undefined]),
    nativeStoragePoolId: rng.chance(0.8) ? rng.pick(pools).nativeStoragePoolId : null, wwn: rng.chance(0.5) ? `wwn${rng.int(99)}` : undefined,
    compressed: rng.pick([true, false, null]), ...capacities(rng),
  })), 'nativeVolumeId');
  const disks = unique(Array.from({ length: rng.int(6) }, () => ({
    nativeDiskId: idOf(rng, 'd', 8), name: rng.pick(NAMES), status: health(rng), mediaType: rng.pick(['HDD', 'SSD', 'SCM', 'UNKNOWN']),
    capacity: bytes(rng), speedGbps: rng.pick([null, 6, 12.5]), serialNumber: rng.chance(0.5) ? `S${rng.int(999)}` : null,
  })), 'nativeDiskId');
  const controllers = unique(Array.from({ length: rng.int(3) }, () => ({
    nativeControllerId: idOf(rng, 'c', 3), name: rng.pick(NAMES), status: health(rng), memoryBytes: rng.chance(0.5) ? bytes(rng) : null,
  })), 'nativeControllerId');
  const ports = unique(Array.from({ length: rng.int(5) }, () => ({
    nativePortId: idOf(rng, 'e', 6), name: rng.pick(NAMES), type: rng.pick(['FC', 'ISCSI', 'ETHERNET', 'SAS', 'NVME_OVER_FABRICS', 'INFINIBAND', 'OTHER']),
    connectionStatus: rng.pick(['CONNECTED', 'DISCONNECTED', 'UNKNOWN']), healthStatus: health(rng),
    nativeControllerId: controllers.length && rng.chance(0.7) ? rng.pick(controllers).nativeControllerId : null,
  })), 'nativePortId');
  return {
    storage: { name: 'fuzzy', vendor: 'fuzzy', model: 'f1', serialNumber: 'FUZZY-1', status: status(rng), firmwareVersion: rng.pick(NAMES), ...capacities(rng) },
    pools,
    volumePages: pages(rng, volumes),
    diskPages: pages(rng, disks),
    controllerPages: pages(rng, controllers),
    portPages: pages(rng, ports),
  };
}

// ---- what makes it odd (kept) or malformed (refused) ----

/** Values a careless or broken driver puts in place of a field. */
const GARBAGE: unknown[] = [
  undefined, null, '', 'BOGUS', 0, -1, 1.5, NaN, Infinity, 2 ** 64, -1n, 2n ** 63n, MAX_BYTES, true, {}, [], 'a\u0000b', '\uD800', 'x'.repeat(5000),
];

/** A listing's places: the pages (or, for pools, the list) and the shape of their items. */
const LISTINGS: Array<[keyof Scenario, DeviceShape]> = [
  ['volumePages', VOLUME_SHAPE], ['diskPages', DISK_SHAPE], ['controllerPages', CONTROLLER_SHAPE], ['portPages', PORT_SHAPE],
];

/** The item lists of the pages that are still pages. */
function itemsOfPages(s: Scenario, key: keyof Scenario): Item[][] {
  return (s[key] as unknown[]).flatMap((p) => (p !== null && typeof p === 'object' && Array.isArray((p as { items?: unknown }).items) ? [(p as { items: Item[] }).items] : []));
}

/** The volumes of the pages before the first malformed one: those a failed sync may have written. */
function volumesBeforeProblem(s: Scenario): Map<string, string> {
  const rows = new Map<string, string>();
  for (const page of s.volumePages) {
    if (pageProblem(VOLUME_SHAPE, page) !== undefined) break;
    for (const d of (page as { items: Item[] }).items) if (!rows.has(VOLUMES.nativeId(d as never))) rows.set(VOLUMES.nativeId(d as never), JSON.stringify(VOLUMES.columns.map((col) => normal(col.value(d as never)))));
  }
  return rows;
}

/** One odd or malformed change, in place. */
function mutate(rng: Rng, s: Scenario): void {
  const [key, shape] = rng.pick(LISTINGS);
  const lists = itemsOfPages(s, key).filter((l) => l.length > 0);
  const list = lists.length ? rng.pick(lists) : undefined;
  switch (rng.int(9)) {
    case 0: { // a field of the array or a resource replaced by garbage (the serial number stays)
      const target: Item = rng.chance(0.2) ? (s.storage as Item) : list ? rng.pick(list) : (s.storage as Item);
      const fields = Object.keys((target === s.storage ? STORAGE_SHAPE : shape).fields).filter((f) => f !== 'serialNumber');
      const field = rng.pick(fields);
      if (rng.chance(0.2)) delete target[field];
      else target[field] = rng.pick(GARBAGE);
      return;
    }
    case 1: // the same id twice, the second contradicting the first (within a page or across pages)
      if (list) rng.pick(rng.chance(0.5) ? [list] : lists).push({ ...rng.pick(list), name: 'the contradicting twin', ...capacities(rng) });
      return;
    case 2: // a pool listed twice
      if (Array.isArray(s.pools)) (s.pools as Item[]).push({ ...rng.pick(s.pools as Item[]), name: 'twin pool' });
      return;
    case 3: // a volume in a pool that is not listed, a port on a controller that is not
      if (list) rng.pick(list)[key === 'portPages' ? 'nativeControllerId' : 'nativeStoragePoolId'] = 'ghost';
      return;
    case 4: // used above total, free above total, the largest bigint PostgreSQL takes
      if (list) Object.assign(rng.pick(list), key === 'diskPages' ? { capacity: MAX_BYTES } : { totalCapacity: 1n, usedCapacity: MAX_BYTES, freeCapacity: 5n });
      return;
    case 5: // thousands of pages, most of them empty
      (s[key] as unknown[]).splice(0, 0, ...Array.from({ length: 1000 + rng.int(2000) }, () => ({ items: [] })));
      return;
    case 6: // a page that is not a page
      (s[key] as unknown[]).splice(rng.int((s[key] as unknown[]).length + 1), 0, rng.pick([null, 42, 'page', [], { items: 'x' }, { items: [], total: -1 }, { items: [], total: 1.5 }]));
      return;
    case 7: // pools that are not a list
      s.pools = rng.pick([null, {}, 'pools', { items: s.pools }]);
      return;
    default: // a name of a megabyte
      if (list) rng.pick(list).name = 'n'.repeat(1 << 20);
  }
}

/** Why the sync must refuse the array, its pools or its hardware (the checks of device-checks.ts), or undefined. */
function firstStageProblem(s: Scenario): string | undefined {
  return (
    resourceProblem(STORAGE_SHAPE, s.storage) ??
    listProblem(POOL_SHAPE, s.pools) ??
    LISTINGS.filter(([key]) => key !== 'volumePages').map(([key, shape]) => (s[key] as unknown[]).map((p) => pageProblem(shape, p)).find(Boolean)).find(Boolean)
  );
}

/** Why the sync must refuse a page of volumes, or undefined. */
function volumeProblem(s: Scenario): string | undefined {
  return s.volumePages.map((p) => pageProblem(VOLUME_SHAPE, p)).find(Boolean);
}

// ---- the stored rows ----

const TABLES: Array<[ResourceTable<any>, keyof Scenario | 'pools']> = [
  [POOLS, 'pools'], [VOLUMES, 'volumePages'], [DISKS, 'diskPages'], [CONTROLLERS, 'controllerPages'], [PORTS, 'portPages'],
];
const normal = (v: unknown) => (v === null || v === undefined ? null : String(v));

interface Snapshot {
  storage: Array<string | null>;
  tables: Record<string, Map<string, string>>;
}

async function snapshot(): Promise<Snapshot> {
  return withDb(t.databaseUrl, async (c) => {
    const { rows } = await c.query(`select ${DEVICE_STATE_COLUMNS.join(', ')} from storage where id = $1`, [storageId]);
    const storage = DEVICE_STATE_COLUMNS.map((col) => normal(rows[0]![col]));
    const tables: Snapshot['tables'] = {};
    for (const [table] of TABLES) {
      const names = table.columns.map((col) => col.name);
      const r = await c.query(`select ${table.nativeColumn} as native_id, ${names.join(', ')} from ${table.table} where storage_id = $1`, [storageId]);
      tables[table.table] = new Map(r.rows.map((row) => [row.native_id as string, JSON.stringify(names.map((n) => normal(row[n])))]));
    }
    return { storage, tables };
  });
}

/** The rows a successful sync of `s` must leave: each id once, as first listed (volumes too unless `withVolumes` is false). */
function expected(s: Scenario, withVolumes = true): Snapshot {
  const tables: Snapshot['tables'] = {};
  for (const [table, key] of TABLES.filter(([tb]) => withVolumes || tb !== VOLUMES)) {
    const items = key === 'pools' ? (s.pools as Item[]) : itemsOfPages(s, key).flat();
    const rows = new Map<string, string>();
    for (const d of items) if (!rows.has(table.nativeId(d))) rows.set(table.nativeId(d), JSON.stringify(table.columns.map((col) => normal(col.value(d)))));
    tables[table.table] = rows;
  }
  return { storage: deviceState(s.storage as never).map(normal), tables };
}

const sorted = (m: Map<string, string>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

async function syncOnce(): Promise<any> {
  const { syncStorage } = await gql(delfin.url, SYNC, { id: storageId });
  return waitForTask(delfin.url, syncStorage.id, 120_000);
}

test('fuzz: each sync of a malformed answer fails with a reason and changes nothing; of an odd one stores exactly what was valid', async () => {
  const rng = prng(SEED);
  const outcomes = { refused: 0, kept: 0 };
  for (let i = 0; i < CASES; i++) {
    const scenario = validScenario(rng);
    for (let n = rng.int(3); n > 0; n--) mutate(rng, scenario);
    const early = firstStageProblem(scenario);
    const problem = early ?? volumeProblem(scenario);
    writeFileSync(scenarioPath(), encodeScenario(scenario));
    const before = await snapshot();
    const task = await syncOnce();
    const after = await snapshot();
    const where = `${replay(SEED, i)}: ${problem ?? 'a valid answer'}`;
    const same = (a: Snapshot, b: Snapshot, tables: Array<ResourceTable<any>>) => {
      assert.deepEqual(a.storage, b.storage, `${where}: storage`);
      for (const table of tables) assert.deepEqual(sorted(a.tables[table.table]!), sorted(b.tables[table.table]!), `${where}: ${table.table}`);
    };
    const small = TABLES.map(([tb]) => tb).filter((tb) => tb !== VOLUMES);
    if (problem === undefined) {
      outcomes.kept++;
      assert.equal(task.status, 'SUCCEEDED', `${where}: ${JSON.stringify(task)}`);
      same(after, expected(scenario), [...small, VOLUMES]);
      continue;
    }
    outcomes.refused++;
    assert.equal(task.status, 'FAILED', `${where}: ${JSON.stringify(task)}`);
    assert.match(task.error ?? '', /malformed answer: .+/, where);
    assert.ok(!/\n\s+at /.test(task.error), `${where}: a stack trace in the error`);
    if (early !== undefined) {
      // The array, its pools and its hardware are refused together, before any volume is read.
      same(after, before, [...small, VOLUMES]);
      continue;
    }
    // The first stage was written as listed; volumes of pages before the malformed one may be
    // too (as the device listed them); none is deleted.
    same(after, expected(scenario, false), small);
    const listed = volumesBeforeProblem(scenario);
    for (const id of before.tables.volume!.keys()) assert.ok(after.tables.volume!.has(id), `${where}: volume ${id} deleted`);
    for (const [id, row] of after.tables.volume!) assert.ok(row === before.tables.volume!.get(id) || row === listed.get(id), `${where}: volume ${id} is neither as before nor as listed`);
  }
  process.stdout.write(`# driver-output fuzz, seed ${SEED}: ${outcomes.refused} refused, ${outcomes.kept} kept\n`);
  assert.ok(outcomes.refused > 0 && outcomes.kept > 0, `both kinds of case ran: ${JSON.stringify(outcomes)}`);
});
