// The pieces of /metrics' own figures that need no services: the exposition text (escaping,
// shared label text), histogram observations as counter increments, the order of a histogram's
// samples, and the driver wrapper that times every call and every page of a listing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabelText, renderFamilies } from '../../src/exporters/exposition.js';
import { observation } from '../../src/lib/histogram.js';
import { withCallMetrics } from '../../src/drivers/call-metrics.js';
import { DriverError } from '../../src/drivers/driver-error.js';
import type { StorageDriver } from '../../src/drivers/driver.js';
import { parseExposition } from '../support/exposition.js';

test('label values are escaped, shared label text is reused, empty families are left out', () => {
  const storage = LabelText.of({ storage_id: 's1', storage_name: 'a "quoted"\\name\nnext' });
  const text = renderFamilies([
    { name: 'delfin_x', help: 'X', type: 'gauge', samples: [{ labels: storage.with({ resource_type: 'storage' }), value: 1.5 }, { labels: {}, value: 2 }] },
    { name: 'delfin_empty', help: 'none', type: 'gauge', samples: [] },
  ]);
  assert.equal(
    text,
    '# HELP delfin_x X\n# TYPE delfin_x gauge\ndelfin_x{storage_id="s1",storage_name="a \\"quoted\\"\\\\name\\nnext",resource_type="storage"} 1.5\ndelfin_x 2\n',
  );
  assert.deepEqual(parseExposition(text)[0]!.labels, { storage_id: 's1', storage_name: 'a "quoted"\\name\nnext', resource_type: 'storage' });
});

test('an observation adds 1 to every bucket at or above it, +Inf, its sum and its count', () => {
  const rows = observation('delfin_d_seconds', { kind: 'K' }, 0.7, [0.5, 1, 5]);
  assert.deepEqual(rows, [
    { metric: 'delfin_d_seconds_bucket', labels: { kind: 'K', le: '1' }, value: 1 },
    { metric: 'delfin_d_seconds_bucket', labels: { kind: 'K', le: '5' }, value: 1 },
    { metric: 'delfin_d_seconds_bucket', labels: { kind: 'K', le: '+Inf' }, value: 1 },
    { metric: 'delfin_d_seconds_sum', labels: { kind: 'K' }, value: 0.7 },
    { metric: 'delfin_d_seconds_count', labels: { kind: 'K' }, value: 1 },
  ]);
});

test('driver calls are timed, each page of a listing as one call, failures marked', async () => {
  const calls: Array<[string, boolean]> = [];
  const driver = {
    async getStorage() {
      return { serialNumber: 'x' };
    },
    async listPools() {
      throw new DriverError('array away', 'pools');
    },
    async *listVolumes() {
      yield { items: [], total: 2 };
      yield { items: [], total: 2 };
    },
  } as unknown as StorageDriver;
  const timed = withCallMetrics(driver, (call, seconds, failed) => {
    assert.ok(seconds >= 0);
    calls.push([call, failed]);
  });
  await timed.getStorage();
  await assert.rejects(timed.listPools(), /array away/);
  let pages = 0;
  for await (const _ of timed.listVolumes()) pages++;
  assert.equal(pages, 2);
  assert.deepEqual(calls, [['getStorage', false], ['listPools', true], ['listVolumes', false], ['listVolumes', false], ['listVolumes', false]]);
});
