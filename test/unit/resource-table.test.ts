import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DevicePool, DeviceVolume } from '../../src/drivers/driver.js';
import { CONTROLLERS, DISKS, PORTS, POOLS, VOLUMES, sameAsStored, type StoredRow } from '../../src/db/stores/resource-table.js';

const BIG = 2n ** 60n + 7n; // beyond 2^53: a number could not hold it

const pool = (over: Partial<DevicePool> = {}): DevicePool => ({
  nativeStoragePoolId: 'pool-1',
  name: 'pool one',
  description: 'a pool',
  storageType: 'BLOCK',
  status: 'NORMAL',
  totalCapacity: BIG,
  usedCapacity: 1000n,
  freeCapacity: BIG - 1000n,
  subscribedCapacity: null,
  ...over,
});

/** The row as PostgreSQL returns it: bigints as decimal strings, missing values as null. */
const poolRow = (over: Record<string, unknown> = {}): StoredRow => ({
  id: '01a21d4c-3459-72e0-9fe5-9e5fdb7d7d22',
  native_id: 'pool-1',
  name: 'pool one',
  description: 'a pool',
  storage_type: 'BLOCK',
  status: 'NORMAL',
  total_capacity: BIG.toString(),
  used_capacity: '1000',
  free_capacity: (BIG - 1000n).toString(),
  subscribed_capacity: null,
  ...over,
});

const volume = (over: Partial<DeviceVolume> = {}): DeviceVolume => ({
  nativeVolumeId: 'vol-1',
  name: 'volume one',
  description: undefined,
  type: 'THIN',
  status: 'AVAILABLE',
  nativeStoragePoolId: 'pool-1',
  wwn: '60000000000000000000000000000001',
  totalCapacity: 1073741824n,
  usedCapacity: 0n,
  freeCapacity: 1073741824n,
  compressed: true,
  deduplicated: false,
  ...over,
});

const volumeRow = (over: Record<string, unknown> = {}): StoredRow => ({
  id: '01a21d4c-3459-72e0-9fe5-9e5fdb7d7d23',
  native_id: 'vol-1',
  name: 'volume one',
  description: null,
  type: 'THIN',
  status: 'AVAILABLE',
  native_storage_pool_id: 'pool-1',
  wwn: '60000000000000000000000000000001',
  total_capacity: '1073741824',
  used_capacity: '0',
  free_capacity: '1073741824',
  compressed: true,
  deduplicated: false,
  ...over,
});

describe('resource tables', () => {
  test('pools and volumes are keyed by their native ids', () => {
    assert.equal(POOLS.nativeId(pool()), 'pool-1');
    assert.equal(VOLUMES.nativeId(volume()), 'vol-1');
    assert.equal(POOLS.table, 'storage_pool');
    assert.equal(VOLUMES.table, 'volume');
  });

  test('capacity columns are bigint columns and read the device bigint as is', () => {
    for (const t of [POOLS, VOLUMES] as const) {
      const caps = t.columns.filter((c) => c.name.endsWith('_capacity'));
      assert.ok(caps.length >= 3);
      for (const c of caps) assert.equal(c.pgType, 'bigint', c.name);
    }
    const total = POOLS.columns.find((c) => c.name === 'total_capacity')!;
    assert.equal(total.value(pool()), BIG);
  });

  test('column names are unique within a table', () => {
    for (const t of [POOLS, VOLUMES, DISKS, CONTROLLERS, PORTS] as const) {
      const names: string[] = t.columns.map((c) => c.name);
      assert.equal(new Set(names).size, names.length, t.table);
    }
  });
});

describe('sameAsStored', () => {
  test('a bigint on the device equals the decimal string PostgreSQL returns, beyond 2^53 too', () => {
    assert.equal(sameAsStored(POOLS, pool(), poolRow()), true);
    assert.equal(sameAsStored(VOLUMES, volume(), volumeRow()), true);
  });

  test('a stored number (small bigint read as number) equals the device bigint', () => {
    assert.equal(sameAsStored(VOLUMES, volume(), volumeRow({ used_capacity: 0, total_capacity: 1073741824 })), true);
  });

  test('null and undefined are the same (missing value)', () => {
    // device undefined vs stored null
    assert.equal(sameAsStored(VOLUMES, volume({ description: undefined }), volumeRow({ description: null })), true);
    // device null vs stored undefined (column absent from the row)
    const row = volumeRow();
    delete row.description;
    assert.equal(sameAsStored(VOLUMES, volume({ description: null }), row), true);
    // optional fields left out of the device object entirely
    const { subscribedCapacity: _omit, ...bare } = pool();
    assert.equal(sameAsStored(POOLS, bare as DevicePool, poolRow()), true);
  });

  test('null is not the same as an empty string or zero', () => {
    assert.equal(sameAsStored(VOLUMES, volume({ description: '' }), volumeRow({ description: null })), false);
    assert.equal(sameAsStored(POOLS, pool({ subscribedCapacity: 0n }), poolRow({ subscribed_capacity: null })), false);
  });

  test('a changed capacity is not the same', () => {
    assert.equal(sameAsStored(POOLS, pool({ usedCapacity: 1001n }), poolRow()), false);
    assert.equal(sameAsStored(POOLS, pool({ totalCapacity: BIG + 1n }), poolRow()), false);
    assert.equal(sameAsStored(VOLUMES, volume({ freeCapacity: 1n }), volumeRow()), false);
  });

  test('a change beyond 2^53 precision is still seen (no float rounding)', () => {
    const huge = 2n ** 62n;
    const stored = poolRow({ total_capacity: huge.toString() });
    assert.equal(sameAsStored(POOLS, pool({ totalCapacity: huge }), stored), true);
    assert.equal(sameAsStored(POOLS, pool({ totalCapacity: huge + 1n }), stored), false);
  });

  test('a changed status is not the same', () => {
    assert.equal(sameAsStored(POOLS, pool({ status: 'DEGRADED' }), poolRow()), false);
    assert.equal(sameAsStored(VOLUMES, volume({ status: 'ERROR' }), volumeRow()), false);
  });

  test('other written columns count: name, pool, wwn, flags', () => {
    assert.equal(sameAsStored(VOLUMES, volume({ name: 'renamed' }), volumeRow()), false);
    assert.equal(sameAsStored(VOLUMES, volume({ nativeStoragePoolId: 'pool-2' }), volumeRow()), false);
    assert.equal(sameAsStored(VOLUMES, volume({ wwn: null }), volumeRow()), false);
    assert.equal(sameAsStored(VOLUMES, volume({ compressed: false }), volumeRow()), false);
    assert.equal(sameAsStored(VOLUMES, volume({ deduplicated: null }), volumeRow()), false);
  });

  test('columns that are not written (id, native id, extra row fields) are ignored', () => {
    assert.equal(
      sameAsStored(VOLUMES, volume(), volumeRow({ id: 'other', native_id: 'other', updated_at: 'whenever' })),
      true,
    );
  });
});

describe('disks, controllers and ports', () => {
  const disk = { nativeDiskId: 'd1', name: 'disk 1', status: 'NORMAL', mediaType: 'SSD', capacity: BIG, speedGbps: 12.5, location: null } as const;
  const diskRow = (over: Partial<StoredRow> = {}): StoredRow => ({
    id: 'x', native_id: 'd1', name: 'disk 1', status: 'NORMAL', media_type: 'SSD', capacity: BIG.toString(),
    manufacturer: null, model: null, serial_number: null, firmware: null, speed_gbps: 12.5, location: null, ...over,
  });

  test('are keyed by their native ids in their own tables', () => {
    assert.deepEqual([DISKS.table, CONTROLLERS.table, PORTS.table], ['disk', 'controller', 'port']);
    assert.equal(DISKS.nativeId(disk), 'd1');
  });

  test('a speed read back as a number equals the device\'s; a changed one does not', () => {
    assert.equal(sameAsStored(DISKS, disk, diskRow()), true);
    assert.equal(sameAsStored(DISKS, { ...disk, speedGbps: 25 }, diskRow()), false);
    assert.equal(sameAsStored(DISKS, { ...disk, status: 'ABNORMAL' }, diskRow()), false);
  });

  test('a port names its controller in a column a sync compares', () => {
    assert.ok(PORTS.columns.some((c) => c.name === 'native_controller_id'));
    assert.equal(CONTROLLERS.columns.find((c) => c.name === 'memory_bytes')!.pgType, 'bigint');
  });
});
