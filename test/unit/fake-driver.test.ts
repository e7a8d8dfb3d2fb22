import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AccessInfo, DeviceVolume, Page, StorageDriver } from '../../src/drivers/driver.js';
import { DriverError, UnreachableError } from '../../src/drivers/driver-error.js';
import { FakeDriver, fakeDriverDescriptor } from '../../src/drivers/fake/fake-driver.js';
import { parseFakeOptions } from '../../src/drivers/fake/fake-options.js';
import { FAKE_METRICS, metricValue } from '../../src/drivers/fake/fake-metrics.js';

const GiB = 1024n ** 3n;
const TiB = 1024n ** 4n;
const TWO_POW_31 = 2n ** 31n;

function access(extraAttributes: Record<string, unknown> = {}, host = '10.0.0.1'): AccessInfo {
  return { rest: { host, port: 8443, username: 'admin', password: 'secret' }, extraAttributes };
}

function fake(extra: Record<string, unknown> = {}, host?: string): FakeDriver {
  return new FakeDriver(access(extra, host));
}

async function allPages(driver: StorageDriver): Promise<Page<DeviceVolume>[]> {
  const pages: Page<DeviceVolume>[] = [];
  for await (const page of driver.listVolumes()) pages.push(page);
  return pages;
}

async function allVolumes(driver: StorageDriver): Promise<DeviceVolume[]> {
  return (await allPages(driver)).flatMap((p) => p.items);
}

// JSON cannot print bigint: spell it out so deep comparisons of whole devices are easy.
const dump = (x: unknown): string => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

const WINDOW = { start: new Date('2024-03-01T10:00:00Z'), end: new Date('2024-03-01T10:15:00Z') };

describe('fake driver: determinism', () => {
  test('two instances with the same access info give the same device', async () => {
    const a = fake({ pools: 7, volumes: 321, seed: 'abc' });
    const b = fake({ pools: 7, volumes: 321, seed: 'abc' });
    assert.equal(dump(await a.getStorage()), dump(await b.getStorage()));
    assert.equal(dump(await a.listPools()), dump(await b.listPools()));
    assert.equal(dump(await allVolumes(a)), dump(await allVolumes(b)));
    assert.equal(
      dump(await a.collectPerfMetrics('VOLUME', ['iops', 'cacheHitRatio'], WINDOW)),
      dump(await b.collectPerfMetrics('VOLUME', ['iops', 'cacheHitRatio'], WINDOW)),
    );
  });

  test('serial number is FAKE + 12 hex of sha256(host|seed)', async () => {
    const storage = await fake({ seed: 42 }).getStorage();
    const expected = 'FAKE' + createHash('sha256').update('10.0.0.1|42').digest('hex').slice(0, 12).toUpperCase();
    assert.equal(storage.serialNumber, expected);
    assert.match(storage.serialNumber, /^FAKE[0-9A-F]{12}$/);
  });

  test('a different seed or host gives a different serial; other attributes do not change it', async () => {
    const base = (await fake({ seed: 1 }).getStorage()).serialNumber;
    assert.notEqual((await fake({ seed: 2 }).getStorage()).serialNumber, base);
    assert.notEqual((await fake({ seed: 1 }, '10.0.0.2').getStorage()).serialNumber, base);
    assert.equal((await fake({ seed: 1, pools: 3, volumes: 5, revision: 2 }).getStorage()).serialNumber, base);
    assert.equal((await fake({ seed: '1' }).getStorage()).serialNumber, base, 'int seed 1 is seed "1"');
  });

  test('a different seed gives different resources', async () => {
    const a = await fake({ seed: 'x' }).listPools();
    const b = await fake({ seed: 'y' }).listPools();
    assert.notEqual(dump(a), dump(b));
  });

  test('storage identity fields', async () => {
    const s = await fake().getStorage();
    assert.equal(s.vendor, 'fake_storage');
    assert.equal(s.model, 'fake_driver');
    assert.equal(s.status, 'NORMAL');
    assert.match(s.name, /10\.0\.0\.1/);
    assert.match(s.firmwareVersion ?? '', /^1\.\d+\.\d+$/);
    assert.ok(s.location);
  });
});

describe('fake driver: capacities', () => {
  test('storage capacities are the exact sums of the pools', async () => {
    for (const pools of [1, 10, 250]) {
      const driver = fake({ pools, seed: `cap-${pools}` });
      const storage = await driver.getStorage();
      const list = await driver.listPools();
      const sum = (f: (p: (typeof list)[number]) => bigint) => list.reduce((acc, p) => acc + f(p), 0n);
      assert.equal(storage.totalCapacity, sum((p) => p.totalCapacity));
      assert.equal(storage.usedCapacity, sum((p) => p.usedCapacity));
      assert.equal(storage.subscribedCapacity, sum((p) => p.subscribedCapacity ?? 0n));
      assert.equal(storage.freeCapacity, storage.totalCapacity - storage.usedCapacity);
      assert.equal(storage.rawCapacity, (storage.totalCapacity * 5n) / 4n);
      assert.ok(storage.totalCapacity > TWO_POW_31 && storage.usedCapacity > TWO_POW_31);
    }
  });

  test('pools: ids, ranges, whole GiB, above 2^31', async () => {
    const list = await fake({ pools: 1000 }).listPools();
    assert.equal(list.length, 1000);
    assert.equal(list[0]!.nativeStoragePoolId, 'pool-001');
    assert.equal(list[999]!.nativeStoragePoolId, 'pool-1000');
    assert.equal(new Set(list.map((p) => p.nativeStoragePoolId)).size, 1000);
    for (const p of list) {
      assert.equal(p.storageType, 'BLOCK');
      assert.ok(p.totalCapacity >= 20n * TiB && p.totalCapacity <= 200n * TiB, p.nativeStoragePoolId);
      assert.equal(p.totalCapacity % GiB, 0n);
      assert.ok(p.totalCapacity > TWO_POW_31 && p.usedCapacity > TWO_POW_31 && p.freeCapacity > TWO_POW_31);
      const usedPct = Number((p.usedCapacity * 10_000n) / p.totalCapacity) / 100;
      assert.ok(usedPct >= 20 && usedPct <= 80, `used ${usedPct}%`);
      assert.equal(p.freeCapacity, p.totalCapacity - p.usedCapacity);
      const subPct = Number(((p.subscribedCapacity ?? 0n) * 10_000n) / p.totalCapacity) / 100;
      assert.ok(subPct >= 50 && subPct <= 150, `subscribed ${subPct}%`);
    }
    const normal = list.filter((p) => p.status === 'NORMAL').length;
    assert.ok(normal > 800, `mostly NORMAL (${normal})`);
  });

  test('volumes: pools, ids, wwn, capacities', async () => {
    const volumes = await allVolumes(fake({ pools: 7, volumes: 2000 }));
    assert.equal(volumes.length, 2000);
    assert.equal(volumes[0]!.nativeVolumeId, 'vol-000001');
    assert.equal(volumes[1999]!.nativeVolumeId, 'vol-002000');
    const wwns = new Set<string>();
    volumes.forEach((v, i) => {
      assert.equal(v.nativeStoragePoolId, `pool-${String((i % 7) + 1).padStart(3, '0')}`);
      assert.match(v.wwn ?? '', /^6[0-9a-f]{31}$/);
      wwns.add(v.wwn!);
      assert.ok(v.totalCapacity >= 100n * GiB && v.totalCapacity <= 4n * TiB);
      assert.equal(v.totalCapacity % GiB, 0n);
      assert.ok(v.totalCapacity > TWO_POW_31);
      assert.equal(v.freeCapacity, v.totalCapacity - v.usedCapacity);
      if (v.type === 'THICK') assert.equal(v.usedCapacity, v.totalCapacity);
      else assert.ok(v.usedCapacity > 0n && v.usedCapacity < v.totalCapacity);
      assert.ok(v.status === 'AVAILABLE' || v.status === 'ERROR');
      assert.equal(typeof v.compressed, 'boolean');
      assert.equal(typeof v.deduplicated, 'boolean');
    });
    assert.equal(wwns.size, 2000, 'wwns are unique');
    const types = new Set(volumes.map((v) => v.type));
    assert.deepEqual([...types].sort(), ['THICK', 'THIN']);
    const errors = volumes.filter((v) => v.status === 'ERROR').length;
    assert.ok(errors > 0 && errors < 100, `a few ERROR volumes (${errors})`);
  });

  test('every volume belongs to an existing pool', async () => {
    const driver = fake({ pools: 13, volumes: 3000, revision: 3 });
    const pools = new Set((await driver.listPools()).map((p) => p.nativeStoragePoolId));
    for (const v of await allVolumes(driver)) assert.ok(pools.has(v.nativeStoragePoolId!), v.nativeVolumeId);
  });
});

describe('fake driver: paging', () => {
  test('pages of pageSize with the device total', async () => {
    const pages = await allPages(fake({ volumes: 1234, pageSize: 100 }));
    assert.equal(pages.length, 13);
    pages.forEach((p, i) => {
      assert.equal(p.total, 1234);
      assert.equal(p.items.length, i < 12 ? 100 : 34);
    });
    const ids = pages.flatMap((p) => p.items.map((v) => v.nativeVolumeId));
    assert.equal(new Set(ids).size, 1234);
    assert.deepEqual(ids, [...ids].sort(), 'stable order');
  });

  test('a multiple of pageSize has no trailing empty page', async () => {
    const pages = await allPages(fake({ volumes: 1000, pageSize: 250 }));
    assert.deepEqual(pages.map((p) => p.items.length), [250, 250, 250, 250]);
  });

  test('default page size is 500 and default volume count is 100', async () => {
    const pages = await allPages(fake());
    assert.deepEqual(pages.map((p) => [p.items.length, p.total]), [[100, 100]]);
    const big = await allPages(fake({ volumes: 1001 }));
    assert.deepEqual(big.map((p) => p.items.length), [500, 500, 1]);
  });

  test('an empty device yields one empty page with total 0', async () => {
    const pages = await allPages(fake({ volumes: 0 }));
    assert.deepEqual(pages.map((p) => [p.items.length, p.total]), [[0, 0]]);
  });

  test('a 2 000 000-volume array is not materialised: the first page comes at once', async () => {
    const started = performance.now();
    const iterator = fake({ volumes: 2_000_000, pageSize: 1000 }).listVolumes()[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false);
    assert.equal(first.value.total, 2_000_000);
    assert.equal(first.value.items.length, 1000);
    assert.equal(first.value.items[999].nativeVolumeId, 'vol-001000');
    assert.deepEqual(await iterator.return!(undefined), { done: true, value: undefined });
    // Not materialised: 2 000 000 volumes built up front would take seconds and a gigabyte.
    assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
  });
});

describe('fake driver: injected failures', () => {
  const phases = ['storage', 'pools', 'volumes', 'metrics'] as const;
  const calls: Record<(typeof phases)[number], (d: StorageDriver) => Promise<unknown>> = {
    storage: (d) => d.getStorage(),
    pools: (d) => d.listPools(),
    volumes: (d) => allVolumes(d),
    metrics: (d) => d.collectPerfMetrics('STORAGE', ['iops'], WINDOW),
  };

  for (const phase of phases) {
    test(`failAt ${phase} fails that call only`, async () => {
      const driver = fake({ failAt: phase });
      for (const other of phases) {
        if (other === phase) {
          await assert.rejects(calls[other](driver), (err: unknown) => {
            assert.ok(err instanceof DriverError);
            assert.equal(err.phase, phase);
            assert.match(err.message, /injected failure/);
            return true;
          });
        } else {
          await calls[other](driver);
        }
      }
      await driver.capabilities();
    });
  }

  test('failAt connect fails every call with connection refused', async () => {
    const driver = fake({ failAt: 'connect' });
    for (const call of [...Object.values(calls), (d: StorageDriver) => d.capabilities()]) {
      await assert.rejects(call(driver), (err: unknown) => {
        assert.ok(err instanceof DriverError);
        assert.equal(err.message, 'cannot reach fake storage at 10.0.0.1:8443: connection refused');
        assert.equal(err.phase, 'connect');
        return true;
      });
    }
    await driver.close();
  });

  test('failAt connect is an unreachable array; failAt a phase is an array answering with an error', async () => {
    await assert.rejects(fake({ failAt: 'connect' }).getStorage(), UnreachableError);
    await assert.rejects(fake({ failAt: 'pools' }).listPools(), (err: unknown) => err instanceof DriverError && !(err instanceof UnreachableError));
  });

  test('unreachableAt: calls before that phase answer; it and every later call fail as unreachable', async () => {
    const driver = fake({ unreachableAt: 'pools', volumes: 10 });
    await driver.getStorage();
    for (const call of [() => driver.listPools(), () => allVolumes(driver), () => driver.getStorage()]) {
      await assert.rejects(call(), (err: unknown) => {
        assert.ok(err instanceof UnreachableError);
        assert.equal(err.message, 'cannot reach fake storage at 10.0.0.1:8443: connection refused (injected outage)');
        return true;
      });
    }
    await driver.close();
    await assert.rejects(fake({ unreachableAt: 'connect' }).getStorage(), UnreachableError);
  });

  test('failAfterVolumes yields pages until at least that many volumes, then throws', async () => {
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const page of fake({ volumes: 1000, pageSize: 100, failAfterVolumes: 250 }).listVolumes()) {
          seen.push(page.items.length);
        }
      })(),
      (err: unknown) => err instanceof DriverError && err.phase === 'volumes' && /after 300 volumes/.test(err.message),
    );
    assert.deepEqual(seen, [100, 100, 100]);
  });

  test('failAfterVolumes: 0 fails before the first page; equal to the total fails after the last', async () => {
    await assert.rejects(allVolumes(fake({ volumes: 10, failAfterVolumes: 0 })), DriverError);
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const p of fake({ volumes: 10, pageSize: 5, failAfterVolumes: 10 }).listVolumes()) seen.push(p.items.length);
      })(),
      DriverError,
    );
    assert.deepEqual(seen, [5, 5]);
    assert.equal((await allVolumes(fake({ volumes: 10, failAfterVolumes: 11 }))).length, 10);
  });

  test('latencyMs delays every call and every page', async () => {
    const driver = fake({ latencyMs: 30, volumes: 30, pageSize: 10 });
    let started = performance.now();
    await driver.getStorage();
    assert.ok(performance.now() - started >= 25);
    started = performance.now();
    assert.equal((await allPages(driver)).length, 3);
    assert.ok(performance.now() - started >= 85, `3 pages took ${performance.now() - started} ms`);
  });

  test('hangAt: the call never settles', async () => {
    const driver = fake({ hangAt: 'pools' });
    const outcome = await Promise.race([
      driver.listPools().then(() => 'settled', () => 'settled'),
      new Promise((resolve) => setTimeout(resolve, 50, 'pending')),
    ]);
    assert.equal(outcome, 'pending');
    await driver.getStorage();
  });

  test('after close, calls reject with "driver is closed"', async () => {
    const driver = fake();
    await driver.close();
    await driver.close();
    const closed = (err: unknown) => err instanceof DriverError && err.message === 'driver is closed';
    await assert.rejects(driver.getStorage(), closed);
    await assert.rejects(driver.listPools(), closed);
    await assert.rejects(allVolumes(driver), closed);
    await assert.rejects(driver.collectPerfMetrics('STORAGE', ['iops'], WINDOW), closed);
    await assert.rejects(driver.capabilities(), closed);
  });

  test('closing during a listing stops it', async () => {
    const driver = fake({ volumes: 100, pageSize: 10 });
    const iterator = driver.listVolumes()[Symbol.asyncIterator]();
    await iterator.next();
    await driver.close();
    await assert.rejects(iterator.next(), /driver is closed/);
  });
});

describe('fake driver: options', () => {
  const badAttribute = (extra: Record<string, unknown>, name: string) => () => {
    assert.throws(
      () => fakeDriverDescriptor.create(access(extra)),
      (err: unknown) => {
        assert.ok(err instanceof DriverError, String(err));
        assert.ok(err.message.includes(`extraAttributes.${name}`), err.message);
        return true;
      },
    );
  };

  test('pools out of range', badAttribute({ pools: 0 }, 'pools'));
  test('pools not an integer', badAttribute({ pools: 2.5 }, 'pools'));
  test('volumes too many', badAttribute({ volumes: 2_000_001 }, 'volumes'));
  test('volumes negative', badAttribute({ volumes: -1 }, 'volumes'));
  test('seed of a wrong type', badAttribute({ seed: { a: 1 } }, 'seed'));
  test('latencyMs negative', badAttribute({ latencyMs: -5 }, 'latencyMs'));
  test('failAt unknown phase', badAttribute({ failAt: 'fans' }, 'failAt'));
  test('hangAt unknown phase', badAttribute({ hangAt: 42 }, 'hangAt'));
  test('unreachableAt unknown phase', badAttribute({ unreachableAt: 'fans' }, 'unreachableAt'));
  test('failAfterVolumes not a number', badAttribute({ failAfterVolumes: 'many' }, 'failAfterVolumes'));
  test('pageSize zero', badAttribute({ pageSize: 0 }, 'pageSize'));
  test('revision negative', badAttribute({ revision: -1 }, 'revision'));

  test('the message is a sentence with the expectation and the value', () => {
    assert.throws(() => fake({ pools: 0 }), {
      message: 'fake_driver: extraAttributes.pools must be an integer from 1 to 10000, got 0',
    });
  });

  test('rest access with a host is required', () => {
    const message = 'fake_driver needs rest access info with a host';
    assert.throws(() => fakeDriverDescriptor.create({}), { message });
    assert.throws(() => fakeDriverDescriptor.create({ rest: null, ssh: { host: 'h', port: 22, username: 'u' } }), { message });
    assert.throws(() => fakeDriverDescriptor.create(access({}, '')), { message });
    assert.throws(() => fakeDriverDescriptor.create(access({}, '  ')), { message });
  });

  test('defaults, unknown attributes ignored, integer strings and nulls accepted', () => {
    const o = parseFakeOptions(access({ colour: 'blue', pools: '12', volumes: null, seed: 7 }));
    assert.deepEqual(o, {
      host: '10.0.0.1',
      port: 8443,
      pools: 12,
      volumes: 100,
      disks: 0,
      controllers: 0,
      portsPerController: 0,
      seed: '7',
      latencyMs: 0,
      pageSize: 500,
      revision: 0,
      metricStepSeconds: 60,
      metricsFailures: 0,
      alerts: [],
    });
    assert.equal(parseFakeOptions({ rest: access().rest }).pools, 10);
  });
});

describe('fake driver: capabilities and metrics', () => {
  const units: Record<string, string> = {
    iops: 'IOPS', readIops: 'IOPS', writeIops: 'IOPS',
    throughput: 'MB/s', readThroughput: 'MB/s', writeThroughput: 'MB/s',
    responseTime: 'ms', readResponseTime: 'ms', writeResponseTime: 'ms',
    ioSize: 'KB', readIoSize: 'KB', writeIoSize: 'KB',
    cacheHitRatio: '%', readCacheHitRatio: '%', writeCacheHitRatio: '%',
  };
  const allMetrics = Object.keys(units);

  test('capabilities: fifteen metrics with units for every resource type', async () => {
    const caps = await fake().capabilities();
    assert.deepEqual(Object.keys(caps.metrics).sort(), ['CONTROLLER', 'DISK', 'PORT', 'STORAGE', 'STORAGE_POOL', 'VOLUME']);
    for (const specs of Object.values(caps.metrics)) {
      assert.equal(specs.length, 15);
      assert.deepEqual(Object.fromEntries(specs.map((s) => [s.name, s.unit])), units);
    }
  });

  test('STORAGE: one resource (the serial), one point per whole minute of the window', async () => {
    const driver = fake({ seed: 's' });
    const serial = (await driver.getStorage()).serialNumber;
    const window = { start: new Date('2024-03-01T10:00:30Z'), end: new Date('2024-03-01T10:05:00Z') };
    const series = await driver.collectPerfMetrics('STORAGE', ['iops', 'readIops'], window);
    assert.equal(series.length, 2);
    for (const s of series) {
      assert.equal(s.resourceType, 'STORAGE');
      assert.equal(s.resourceId, serial);
      assert.equal(s.unit, 'IOPS');
      assert.deepEqual(
        s.timestamps.map((t) => new Date(t).toISOString()),
        ['10:01', '10:02', '10:03', '10:04', '10:05'].map((m) => `2024-03-01T${m}:00.000Z`),
      );
      for (const [i, t] of s.timestamps.entries()) {
        assert.equal(s.values[i], metricValue(driver.options, 'STORAGE', serial, s.metric, t));
      }
    }
  });

  test('DISK, CONTROLLER and PORT: one series per listed disk, controller and port, with its own values', async () => {
    const driver = fake({ disks: 3, controllers: 2, portsPerController: 2 });
    const ids = async <T>(pages: AsyncIterable<Page<T>>, id: (item: T) => string) => {
      const out: string[] = [];
      for await (const page of pages) out.push(...page.items.map(id));
      return out;
    };
    const listed = {
      DISK: await ids(driver.listDisks(), (d) => d.nativeDiskId),
      CONTROLLER: await ids(driver.listControllers(), (c) => c.nativeControllerId),
      PORT: await ids(driver.listPorts(), (p) => p.nativePortId),
    };
    for (const type of ['DISK', 'CONTROLLER', 'PORT'] as const) {
      const series = await driver.collectPerfMetrics(type, ['iops'], WINDOW);
      assert.deepEqual(series.map((s) => s.resourceId), listed[type], type);
      for (const s of series) {
        assert.equal(s.resourceType, type);
        assert.equal(s.values.length, 16);
        s.timestamps.forEach((t, i) => assert.equal(s.values[i], metricValue(driver.options, type, s.resourceId, 'iops', t)));
      }
    }
    assert.equal(listed.PORT.length, 4);
  });

  test('STORAGE_POOL: one series per pool and metric; a 15-minute window has 16 points', async () => {
    const series = await fake({ pools: 4 }).collectPerfMetrics('STORAGE_POOL', ['throughput'], WINDOW);
    assert.deepEqual(series.map((s) => s.resourceId), ['pool-001', 'pool-002', 'pool-003', 'pool-004']);
    for (const s of series) assert.equal(s.values.length, 16);
  });

  test('metricValue is a pure function of (seed, resource, metric, time)', () => {
    const o = parseFakeOptions(access({ seed: 'm', pools: 3 }));
    const other = parseFakeOptions(access({ seed: 'm', pools: 99, volumes: 5 }, '10.9.9.9'));
    const t = Date.UTC(2024, 2, 1, 12, 0);
    assert.equal(metricValue(o, 'VOLUME', 'vol-000001', 'iops', t), metricValue(other, 'VOLUME', 'vol-000001', 'iops', t));
    assert.notEqual(metricValue(o, 'VOLUME', 'vol-000001', 'iops', t), metricValue(o, 'VOLUME', 'vol-000002', 'iops', t));
    assert.notEqual(metricValue(o, 'VOLUME', 'vol-000001', 'iops', t), metricValue(o, 'VOLUME', 'vol-000001', 'iops', t + 60_000));
  });

  test('values are consistent and plausible', async () => {
    const series = await fake({ volumes: 50 }).collectPerfMetrics('VOLUME', allMetrics, WINDOW);
    assert.equal(series.length, 50 * 15);
    const byKey = new Map(series.map((s) => [`${s.resourceId}|${s.metric}`, s.values]));
    for (let i = 1; i <= 50; i++) {
      const get = (m: string) => byKey.get(`vol-${String(i).padStart(6, '0')}|${m}`)!;
      get('iops').forEach((iops, k) => {
        const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
        near(iops, get('readIops')[k]! + get('writeIops')[k]!);
        near(get('throughput')[k]!, (iops * get('ioSize')[k]!) / 1024);
        near(get('readThroughput')[k]!, (get('readIops')[k]! * get('readIoSize')[k]!) / 1024);
        near(get('throughput')[k]!, get('readThroughput')[k]! + get('writeThroughput')[k]!);
        assert.ok(iops > 0);
        for (const m of ['responseTime', 'readResponseTime', 'writeResponseTime']) assert.ok(get(m)[k]! > 0);
        for (const m of ['cacheHitRatio', 'readCacheHitRatio', 'writeCacheHitRatio']) {
          assert.ok(get(m)[k]! >= 0 && get(m)[k]! <= 100, m);
        }
      });
    }
  });

  test('a daily rhythm: busy afternoons, quiet nights, slower when busy', () => {
    const o = parseFakeOptions(access({ seed: 'day' }));
    const serial = 'FAKE000000000000';
    const at = (hour: number, metric: string) => metricValue(o, 'STORAGE', serial, metric, Date.UTC(2024, 2, 1, hour));
    assert.ok(at(15, 'iops') > 2 * at(3, 'iops'), `${at(15, 'iops')} vs ${at(3, 'iops')}`);
    assert.ok(at(15, 'readResponseTime') > at(3, 'readResponseTime'));
  });

  test('unknown metrics are a DriverError', async () => {
    await assert.rejects(fake().collectPerfMetrics('STORAGE', ['iops', 'cpuUsage'], WINDOW), (err: unknown) => {
      assert.ok(err instanceof DriverError);
      assert.match(err.message, /cpuUsage/);
      return true;
    });
    assert.throws(() => metricValue(parseFakeOptions(access()), 'STORAGE', 'x', 'bogus', 0), DriverError);
  });

  test('2 000 volumes × 15 metrics × 15 minutes in well under a second', async () => {
    const started = performance.now();
    const series = await fake({ volumes: 2000 }).collectPerfMetrics('VOLUME', FAKE_METRICS.map((m) => m.name), WINDOW);
    const elapsed = performance.now() - started;
    assert.equal(series.length, 30_000);
    assert.ok(elapsed < 700, `took ${elapsed} ms`);
  });
});

describe('fake driver: alerts', () => {
  const listed = [
    { sequenceNumber: 7, alertId: 'FAN', severity: 'Minor', description: 'fan slow', occurredAt: '2026-11-30T10:00:00Z' },
    { sequenceNumber: 'x-8', alertId: 'PSU', alertName: 'Power supply lost', severity: 'Critical', category: 'Event', location: 'PSU 2' },
  ];

  test('lists extraAttributes.alerts as alerts, with the trap vocabulary mapped', async () => {
    const alerts = await new FakeDriver(access({ alerts: listed }, 'alerts-1.example')).listAlerts();
    assert.deepEqual(alerts, [
      { alertId: 'FAN', alertName: 'FAN', severity: 'MINOR', category: 'FAULT', description: 'fan slow', location: null, resourceType: null, sequenceNumber: '7', occurredAt: new Date('2026-11-30T10:00:00Z') },
      { alertId: 'PSU', alertName: 'Power supply lost', severity: 'CRITICAL', category: 'EVENT', description: '', location: 'PSU 2', resourceType: null, sequenceNumber: 'x-8', occurredAt: null },
    ]);
  });

  test('an alert cleared through the driver is no longer listed by any connection to that array; clearing is idempotent', async () => {
    await new FakeDriver(access({ alerts: listed }, 'alerts-2.example')).clearAlert('7');
    await new FakeDriver(access({ alerts: listed }, 'alerts-2.example')).clearAlert('7');
    await new FakeDriver(access({ alerts: listed }, 'alerts-2.example')).clearAlert('not-listed');
    assert.deepEqual((await new FakeDriver(access({ alerts: listed }, 'alerts-2.example')).listAlerts()).map((a) => a.sequenceNumber), ['x-8']);
    assert.equal((await new FakeDriver(access({ alerts: listed }, 'alerts-3.example')).listAlerts()).length, 2, 'another array keeps its own');
  });

  test('a malformed alert list is refused naming extraAttributes.alerts; failAt alerts fails listing and clearing', async () => {
    assert.throws(() => parseFakeOptions(access({ alerts: [{ alertId: 'A', severity: 'Loud', sequenceNumber: 1 }] })), /extraAttributes\.alerts must be a list/);
    const failing = new FakeDriver(access({ alerts: listed, failAt: 'alerts' }));
    await assert.rejects(failing.listAlerts(), DriverError);
    await assert.rejects(failing.clearAlert('7'), DriverError);
  });
});
