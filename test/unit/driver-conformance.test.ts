// The conformance kit: the pure checks name each problem; the runner calls every method of a
// driver within its timeout, lists volumes twice, and checks the optional inventory calls
// when a driver has them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capacityProblems,
  checkDriver,
  formatReport,
  inventoryProblems,
  metricProblems,
  pagingProblems,
  poolProblems,
  runConformance,
  storageProblems,
  uniqueIdProblems,
  volumeProblems,
} from '../../src/drivers/public.js';
import { fakeDriverDescriptor } from '../../src/drivers/index.js';
import type { DevicePool, DeviceVolume, StorageDriver } from '../../src/drivers/driver.js';

const pool = (id: string, total = 100n, used = 10n): DevicePool => ({
  nativeStoragePoolId: id, name: id, status: 'NORMAL', totalCapacity: total, usedCapacity: used, freeCapacity: total - used,
});
const volume = (id: string, poolId: string | null = 'p1', total = 10n, used = 1n): DeviceVolume => ({
  nativeVolumeId: id, name: id, status: 'AVAILABLE', nativeStoragePoolId: poolId, totalCapacity: total, usedCapacity: used, freeCapacity: total - used,
});

describe('pure checks', () => {
  test('capacities: used and free at most total, none negative, all bigint', () => {
    assert.deepEqual(capacityProblems('pool "a"', { totalCapacity: 10n, usedCapacity: 10n, freeCapacity: 0n }), []);
    assert.deepEqual(capacityProblems('pool "a"', { totalCapacity: 10n, usedCapacity: 11n, freeCapacity: 0n }), ['pool "a": used capacity 11 is more than total 10']);
    assert.deepEqual(capacityProblems('x', { totalCapacity: 10n, usedCapacity: -1n, freeCapacity: 11n }), [
      'x: usedCapacity is negative',
      'x: free capacity 11 is more than total 10',
    ]);
    assert.match(capacityProblems('x', { totalCapacity: 10, usedCapacity: 1n, freeCapacity: 9n })[0]!, /totalCapacity must be bigint bytes \(got number\)/);
  });

  test('native ids: each once, none empty; at most five examples named', () => {
    assert.deepEqual(uniqueIdProblems('volume', ['a', 'b']), []);
    assert.deepEqual(uniqueIdProblems('volume', ['a', 'b', 'a', '']), [
      '1 volume(s) have no native id (an empty or non-string id)',
      'volume native ids are not unique: "a" listed more than once',
    ]);
    const many = [...'abcdefg'].flatMap((c) => [c, c]);
    assert.match(uniqueIdProblems('pool', many)[0]!, /"a", "b", "c", "d", "e" and 2 more listed more than once/);
  });

  test('storage: names and capacities', () => {
    const s = { name: 'n', vendor: 'v', model: 'm', serialNumber: '', status: 'NORMAL' as const, totalCapacity: 1n, usedCapacity: 2n, freeCapacity: 0n };
    assert.deepEqual(storageProblems(s), ['storage: serialNumber must be a non-empty string', 'storage: used capacity 2 is more than total 1']);
  });

  test("pools and volumes: duplicates, used > total, a volume's pool that does not exist", () => {
    assert.deepEqual(poolProblems([pool('p1'), { ...pool('p2', 5n, 5n), usedCapacity: 6n }, pool('p1')]), [
      'pool native ids are not unique: "p1" listed more than once',
      'pool "p2": used capacity 6 is more than total 5',
    ]);
    const pools = new Set(['p1']);
    assert.deepEqual(volumeProblems([volume('v1'), volume('v2', null)], pools), []);
    assert.deepEqual(volumeProblems([volume('v1'), volume('v1', 'gone'), { ...volume('v3', 'gone', 1n, 1n), usedCapacity: 2n }], pools), [
      'volume native ids are not unique: "v1" listed more than once',
      'volume "v3": used capacity 2 is more than total 1',
      '2 volume(s) name a pool that listPools does not return: "gone"',
    ]);
  });

  test('paging: two listings agree in order and count, totals match what was listed', () => {
    const trace = (ids: string[], totals: Array<number | undefined>) => ({ ids, totals });
    assert.deepEqual(pagingProblems('volume', trace(['a', 'b'], [2]), trace(['a', 'b'], [2])), []);
    assert.deepEqual(pagingProblems('volume', trace(['a', 'b'], [undefined]), trace(['a', 'b'], [])), []);
    assert.deepEqual(pagingProblems('volume', trace(['a', 'b'], [2]), trace(['b', 'a'], [2])), [
      'paging is not stable: two listings differ at volume 1 ("a" then "b")',
    ]);
    assert.deepEqual(pagingProblems('volume', trace(['a', 'b'], [3, 2]), trace(['a'], [1])), [
      'volume listing (first pass): pages report different totals (3, 2)',
      'paging is not stable: the first volume listing had 2 items, the second 1',
    ]);
    assert.deepEqual(pagingProblems('volume', trace(['a'], [4]), trace(['a'], [4])), [
      'volume listing (first pass): pages report a total of 4 but 1 volumes were listed',
      'volume listing (second pass): pages report a total of 4 but 1 volumes were listed',
    ]);
  });

  test('disks, controllers, ports: unique ids, disk capacities, ports on listed controllers', () => {
    const disk = { call: 'listDisks' as const, noun: 'disk', idField: 'nativeDiskId', resourceType: 'DISK' as const };
    const port = { call: 'listPorts' as const, noun: 'port', idField: 'nativePortId', resourceType: 'PORT' as const };
    assert.deepEqual(inventoryProblems(disk, [{ nativeDiskId: 'd1', capacity: 1n }, { nativeDiskId: 'd1', capacity: -1n }]), [
      'disk native ids are not unique: "d1" listed more than once',
      'disk capacity must be bigint bytes, not negative: "d1"',
    ]);
    assert.deepEqual(inventoryProblems(port, [{ nativePortId: 'e0', nativeControllerId: 'c9' }], new Set(['c1'])), [
      '1 port(s) name a controller that listControllers does not return: "c9"',
    ]);
  });

  test('metric series: asked-for metrics of listed resources, one value per timestamp, inside the window', () => {
    const window = { start: new Date(1000), end: new Date(2000) };
    const series = (over: object) => ({ resourceType: 'VOLUME' as const, resourceId: 'v1', metric: 'iops', unit: 'IOPS', timestamps: [1500], values: [1], ...over });
    const asked = { metrics: ['iops'], window, resourceIds: new Set(['v1']) };
    assert.deepEqual(metricProblems([series({})], asked), []);
    assert.deepEqual(metricProblems([series({ resourceId: 'v9', values: [] })], asked), [
      'series iops of VOLUME "v9": no such resource was listed',
      'series iops of VOLUME "v9": 1 timestamps but 0 values',
    ]);
    assert.deepEqual(metricProblems([series({ metric: 'bw', timestamps: [3000, 2500], values: [1, 2] })], asked), [
      'series bw of VOLUME "v1": metric was not asked for',
      'series bw of VOLUME "v1": samples outside the window asked for',
      'series bw of VOLUME "v1": timestamps out of order',
    ]);
  });
});

/** A small in-memory driver; `over` replaces any of its methods. */
// Overrides are untyped: tests hand the kit drivers that break the interface on purpose.
function driver(over: Record<string, unknown> = {}): StorageDriver {
  return {
    async getStorage() {
      return { name: 'a', vendor: 'v', model: 'm', serialNumber: 'S1', status: 'NORMAL', totalCapacity: 10n, usedCapacity: 1n, freeCapacity: 9n };
    },
    async listPools() {
      return [pool('p1')];
    },
    async *listVolumes() {
      yield { items: [volume('v1'), volume('v2')], total: 3 };
      yield { items: [volume('v3')], total: 3 };
    },
    async collectPerfMetrics(resourceType, metrics, window) {
      return metrics.map((metric) => ({ resourceType, resourceId: 'S1', metric, unit: 'IOPS', timestamps: [window.end.getTime()], values: [1] }));
    },
    async capabilities() {
      return { metrics: { STORAGE: [{ name: 'iops', unit: 'IOPS' }] } };
    },
    async close() {},
    ...over,
  } as StorageDriver;
}

describe('runner', () => {
  test('a driver that keeps the rules passes every check', async () => {
    const report = await runConformance('v / m', driver(), { timeoutMs: 1000 });
    assert.equal(report.passed, true, formatReport(report));
    assert.deepEqual(
      report.checks.map((c) => `${c.name}${c.skipped ? ' (skipped)' : ''}`),
      ['getStorage', 'listPools', 'listVolumes', 'stable paging', 'listDisks (skipped)', 'listControllers (skipped)', 'listPorts (skipped)', 'listAlerts (skipped)', 'capabilities', 'collectPerfMetrics(STORAGE)', 'close'],
    );
    assert.match(formatReport(report), /^passed: 7 checks ran, none failed$/m);
  });

  test('a call slower than its timeout fails its check; a page of a listing has its own deadline', async () => {
    const slow = driver({
      async listPools() {
        await new Promise((r) => setTimeout(r, 300));
        return [pool('p1')];
      },
      async *listVolumes() {
        yield { items: [volume('v1')] };
        await new Promise((r) => setTimeout(r, 300));
        yield { items: [volume('v2')] };
      },
    });
    const report = await runConformance('slow', slow, { timeoutMs: 100 });
    const problems = Object.fromEntries(report.checks.map((c) => [c.name, c.problems]));
    assert.deepEqual(problems.listPools, ['listPools did not answer within its timeout of 100 ms']);
    assert.deepEqual(problems.listVolumes, ['listVolumes (page 2) did not answer within its timeout of 100 ms']);
    assert.equal(report.checks.find((c) => c.name === 'stable paging')?.skipped, true);
    assert.equal(report.passed, false);
  });

  test('disks, controllers and ports are checked when the driver lists them (as arrays or pages)', async () => {
    const withInventory = driver({
      async listDisks() {
        return [{ nativeDiskId: 'd1', capacity: 5n }, { nativeDiskId: 'd1', capacity: 5n }];
      },
      async *listControllers() {
        yield { items: [{ nativeControllerId: 'c1' }] };
      },
      async listPorts() {
        return [{ nativePortId: 'e0', nativeControllerId: 'c2' }];
      },
    });
    const report = await runConformance('inv', withInventory, { timeoutMs: 1000 });
    const by = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    assert.deepEqual(by.listDisks!.problems, ['disk native ids are not unique: "d1" listed more than once']);
    assert.deepEqual(by.listControllers!.problems, []);
    assert.equal(by.listControllers!.summary.startsWith('1 controller in'), true);
    assert.deepEqual(by.listPorts!.problems, ['1 port(s) name a controller that listControllers does not return: "c2"']);
  });

  test('listed alerts are checked: one per sequence number, in the contract\'s words; clearAlert is never called', async () => {
    let cleared = 0;
    const ok = { alertId: 'A', alertName: 'A', severity: 'MAJOR', category: 'FAULT', description: '', sequenceNumber: '1' };
    const withAlerts = driver({
      async listAlerts() {
        return [ok, { ...ok }, { ...ok, sequenceNumber: '2', severity: 'LOUD' }] as any;
      },
      async clearAlert() {
        cleared++;
      },
    });
    const report = await runConformance('alerts', withAlerts, { timeoutMs: 1000 });
    const check = report.checks.find((c) => c.name === 'listAlerts')!;
    assert.equal(check.problems.length, 2);
    assert.match(check.problems[0]!, /alert native ids are not unique|"1" listed more than once/);
    assert.match(check.problems[1]!, /severity must be one of/);
    assert.equal(cleared, 0);
  });

  test('a driver that throws is reported, not thrown; a descriptor that refuses the access info fails "create"', async () => {
    const failing = driver({
      async getStorage() {
        throw new Error('connection refused');
      },
    });
    const report = await runConformance('f', failing, { timeoutMs: 1000 });
    assert.deepEqual(report.checks[0]!.problems, ['getStorage failed: connection refused']);
    const refused = await checkDriver({ vendor: 'v', model: 'm', create: () => { throw new Error('rest access is required'); } }, {}, { timeoutMs: 1000 });
    assert.deepEqual(refused.checks, [{ name: 'create', summary: 'no driver', problems: ['create failed: rest access is required'] }]);
  });

  test('the simulator passes, through its descriptor', async () => {
    const report = await checkDriver(fakeDriverDescriptor, { rest: { host: 'h', port: 1, username: 'u', password: 'p' }, extraAttributes: { volumes: 30, pageSize: 7 } }, { timeoutMs: 5000 });
    assert.equal(report.passed, true, formatReport(report));
    assert.match(report.checks.find((c) => c.name === 'listVolumes')!.summary, /^30 volumes in 5 pages/);
  });
});
