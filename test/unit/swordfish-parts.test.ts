// The Swordfish driver's pure parts: fingerprints, durations, counters to rates, the request
// bound, option checks and the mapping of values the emulator does not have.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DriverInputError } from '../../src/drivers/driver-error.js';
import { formatFingerprint, normalizeFingerprint } from '../../src/drivers/tls-trust.js';
import { durationMs, ratesBetween, seriesFromReadings } from '../../src/drivers/swordfish/io-counters.js';
import { RequestLimiter } from '../../src/drivers/swordfish/request-limiter.js';
import { parseSwordfishOptions } from '../../src/drivers/swordfish/swordfish-options.js';
import { bytes, toController, toPort, toVolume } from '../../src/drivers/swordfish/resource-mapping.js';
import { storageStatus, volumeStatus } from '../../src/drivers/swordfish/status-mapping.js';
import type { CounterReading } from '../../src/drivers/driver.js';
import { toDeviceAlert } from '../../src/drivers/swordfish/event-log.js';

const HEX = 'a1'.repeat(32);

describe('fingerprints', () => {
  test('"AB:CD", plain hex and "sha256:" in any case are one fingerprint', () => {
    for (const given of [HEX, HEX.toUpperCase(), formatFingerprint(HEX), `sha256:${formatFingerprint(HEX)}`, `SHA256:${HEX}`]) {
      assert.equal(normalizeFingerprint(given), HEX, given);
    }
    assert.equal(formatFingerprint(HEX), 'A1:'.repeat(31) + 'A1');
  });
  test('anything else is not a fingerprint', () => {
    for (const bad of ['', 'AB:CD', HEX.slice(2), `${HEX}00`, 'z'.repeat(64), `md5:${HEX}`]) assert.equal(normalizeFingerprint(bad), null, bad);
  });
});

describe('counters', () => {
  test('ISO 8601 durations to milliseconds', () => {
    assert.equal(durationMs('PT0.003S'), 3);
    assert.equal(durationMs('PT1M2.5S'), 62_500);
    assert.equal(durationMs('P1DT1H'), 90_000_000);
    assert.equal(durationMs('PT'), null);
    assert.equal(durationMs('soon'), null);
  });

  const reading = (at: number, values: Record<string, number>, resourceId = 'v1'): CounterReading => ({ resourceType: 'VOLUME', resourceId, at, values });

  test('rates over the interval; no requests means 0 ms and 0 KB, not NaN', () => {
    const rates = ratesBetween(reading(0, { ReadIORequests: 0, WriteIORequests: 0 }), reading(10_000, { ReadIORequests: 100, WriteIORequests: 0, ReadIOKiBytes: 2048 }));
    assert.equal(rates.readIops, 10);
    assert.equal(rates.writeIops, 0);
    assert.equal(rates.readThroughput, 0.2);
    assert.equal(rates.readIoSize, 20.48);
    assert.equal(rates.writeResponseTime, 0);
    assert.equal(rates.writeIoSize, 0);
  });

  test('a counter that went down is a reset: no sample, the window reported; a new resource has no sample', () => {
    const previous = [reading(0, { ReadIORequests: 500 }), reading(0, { ReadIORequests: 1 }, 'v2')];
    const current = [reading(60_000, { ReadIORequests: 20 }), reading(60_000, { ReadIORequests: 61 }, 'v2'), reading(60_000, { ReadIORequests: 5 }, 'v3')];
    const { series, resets } = seriesFromReadings(previous, current, ['readIops']);
    assert.deepEqual(resets, [{ resourceType: 'VOLUME', resourceId: 'v1', from: 0, to: 60_000, counters: ['ReadIORequests'] }]);
    assert.deepEqual(series, [{ resourceType: 'VOLUME', resourceId: 'v2', metric: 'readIops', unit: 'IOPS', timestamps: [60_000], values: [1] }]);
  });
});

test('the request limiter keeps at most N in flight, in arrival order', async () => {
  const limiter = new RequestLimiter(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 7 }, (_, i) =>
      limiter.run(async () => {
        order.push(i);
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      }),
    ),
  );
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
});

describe('options', () => {
  const rest = { host: 'array', port: 443, username: 'u', password: 'p' };
  test('defaults: verify TLS, 4 requests in flight', () => {
    const o = parseSwordfishOptions({ rest });
    assert.equal(o.verifyTls, true);
    assert.equal(o.maxConcurrentRequests, 4);
    assert.equal(o.storage, null);
  });
  test('a bad extraAttribute is an input error naming it', () => {
    assert.throws(
      () => parseSwordfishOptions({ rest, extraAttributes: { maxConcurrentRequests: 0 } }),
      (e: Error) => e instanceof DriverInputError && e.field === 'extraAttributes.maxConcurrentRequests' && /an integer from 1 to 64/.test(e.message),
    );
  });
});

describe('mapping', () => {
  test('bytes from numbers and decimal strings (beyond 2^53)', () => {
    assert.equal(bytes(1024), 1024n);
    assert.equal(bytes('18446744073709551615'), 18446744073709551615n);
    assert.equal(bytes(-1), null);
    assert.equal(bytes('1e3'), null);
  });
  test('status: offline states, Warning, Critical, nothing', () => {
    assert.equal(storageStatus({ Status: { State: 'UnavailableOffline', Health: 'OK' } }), 'OFFLINE');
    assert.equal(storageStatus({ Status: { Health: 'Warning' } }), 'DEGRADED');
    assert.equal(storageStatus({}), 'UNKNOWN');
    assert.equal(volumeStatus({ Status: { Health: 'Critical' } }), 'ERROR');
  });
  test('a volume sized by AllocatedBytes only; an embedded controller with its cache; an FC port', () => {
    const v = toVolume({ '@odata.id': '/v/1', Capacity: { Data: { AllocatedBytes: 10 } } }, null);
    assert.equal(v.totalCapacity, 10n);
    assert.equal(v.usedCapacity, 0n);
    const c = toController({ '@odata.id': '/redfish/v1/Systems/1/Storage/1#/StorageControllers/0', MemberId: '0', CacheSummary: { TotalCacheSizeMiB: 2048 } });
    assert.equal(c.name, '0');
    assert.equal(c.memoryBytes, 2048n * 1024n * 1024n);
    const p = toPort({ '@odata.id': '/p/1', PortProtocol: 'FC', FibreChannel: { AssociatedWorldWideNames: ['50:06:01:60:3E:A0:12:34'] } }, '/c/1');
    assert.equal(p.type, 'FC');
    assert.equal(p.wwn, '50:06:01:60:3E:A0:12:34');
    assert.equal(p.connectionStatus, 'UNKNOWN');
  });
});

describe('swordfish: log entries as alerts', () => {
  const entry = { '@odata.id': '/redfish/v1/Systems/1/LogServices/SEL/Entries/9', Id: '9', Name: 'Log Entry 9' };

  test('a resolved entry is no alert; one without @odata.id neither', () => {
    assert.equal(toDeviceAlert({ ...entry, Resolved: true }), undefined);
    assert.equal(toDeviceAlert({ Id: '9', Severity: 'Critical' }), undefined);
  });

  test('few fields: named by its id, severity NOT_SPECIFIED, an EVENT; a bad Created is no date', () => {
    assert.deepEqual(toDeviceAlert({ ...entry, Severity: 'Loud', Created: 'yesterday' }), {
      alertId: '9', alertName: 'Log Entry 9', severity: 'NOT_SPECIFIED', category: 'EVENT', type: null, description: 'Log Entry 9',
      location: null, resourceType: null, sequenceNumber: entry['@odata.id'], occurredAt: null,
    });
  });

  test('OK is INFORMATIONAL; EntryCode stands in for MessageId; the origin names the resource type', () => {
    const a = toDeviceAlert({ ...entry, Severity: 'OK', EntryCode: 'Assert', Links: { OriginOfCondition: { '@odata.id': '/redfish/v1/Chassis/1/Drives/D3' } } })!;
    assert.equal(a.severity, 'INFORMATIONAL');
    assert.equal(a.alertId, 'Assert');
    assert.equal(a.resourceType, 'Drives');
    assert.equal(a.location, '/redfish/v1/Chassis/1/Drives/D3');
  });
});
