import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusExporter } from '../../src/exporters/prometheus-exporter.js';
import { prometheusMetric } from '../../src/exporters/prometheus-names.js';
import { countSamples, toBatches, type MetricBatch } from '../../src/exporters/metric-batch.js';
import { FAKE_METRICS } from '../../src/drivers/fake/fake-metrics.js';

const header = { storageId: 's1', storageName: 'array one', serialNumber: 'SN1', resourceType: 'VOLUME' as const, intervalSeconds: 60, window: { start: 0, end: 120_000 } };

function batch(resources: MetricBatch['resources'], extra: Partial<MetricBatch> = {}): MetricBatch {
  return { ...header, units: { iops: 'IOPS', responseTime: 'ms', throughput: 'MB/s', cacheHitRatio: '%', ioSize: 'KB' }, resources, ...extra };
}

describe('Prometheus names', () => {
  test('Delfin metrics in base units with conventional suffixes', () => {
    const names = Object.fromEntries(FAKE_METRICS.map((m) => [m.name, prometheusMetric(m.name, m.unit).name]));
    assert.deepEqual(names, {
      iops: 'delfin_io_operations_per_second',
      readIops: 'delfin_read_operations_per_second',
      writeIops: 'delfin_write_operations_per_second',
      throughput: 'delfin_throughput_bytes_per_second',
      readThroughput: 'delfin_read_throughput_bytes_per_second',
      writeThroughput: 'delfin_write_throughput_bytes_per_second',
      responseTime: 'delfin_response_time_seconds',
      readResponseTime: 'delfin_read_response_time_seconds',
      writeResponseTime: 'delfin_write_response_time_seconds',
      ioSize: 'delfin_io_size_bytes',
      readIoSize: 'delfin_read_io_size_bytes',
      writeIoSize: 'delfin_write_io_size_bytes',
      cacheHitRatio: 'delfin_cache_hit_ratio',
      readCacheHitRatio: 'delfin_read_cache_hit_ratio',
      writeCacheHitRatio: 'delfin_write_cache_hit_ratio',
    });
    assert.equal(prometheusMetric('cpuUsage', '%').name, 'delfin_cpu_usage_ratio');
    assert.equal(prometheusMetric('responseTime', 'ms').factor, 1e-3);
    assert.equal(prometheusMetric('throughput', 'MB/s').factor, 1024 * 1024);
  });
});

describe('Prometheus exporter', () => {
  test('a window recovered late does not replace the newer value the gauge holds', async () => {
    const e = new PrometheusExporter();
    e.export(batch([{ id: 'v1', name: 'v1', timestamps: [120_000], values: { iops: [30] } }]));
    e.export(batch([{ id: 'v1', name: 'v1', timestamps: [0, 60_000], values: { iops: [10, 20] } }]));
    assert.match(await e.metrics(), /resource_id="v1",resource_name="v1"\} 30\n/);
    e.export(batch([{ id: 'v1', name: 'v1', timestamps: [180_000], values: { iops: [40] } }]));
    assert.match(await e.metrics(), /resource_id="v1",resource_name="v1"\} 40\n/);
  });

  test('exports the latest value of each series, in base units, with the six labels', async () => {
    const e = new PrometheusExporter();
    e.export(batch([{ id: 'v1', name: 'vol one', timestamps: [0, 60_000], values: { iops: [10, 12.5], responseTime: [1, 2] } }]));
    const text = await e.metrics();
    assert.match(text, /delfin_io_operations_per_second\{storage_id="s1",storage_name="array one",serial_number="SN1",resource_type="volume",resource_id="v1",resource_name="vol one"\} 12.5/);
    assert.match(text, /delfin_response_time_seconds\{[^}]*resource_id="v1"[^}]*\} 0.002/);
    assert.equal(e.seriesCount, 2);
  });

  test('retiring a resource type or a storage removes its series', async () => {
    const e = new PrometheusExporter();
    e.export(batch([{ id: 'v1', name: 'v', timestamps: [0], values: { iops: [1] } }]));
    e.export(batch([{ id: 'SN1', name: 'array one', timestamps: [0], values: { iops: [5] } }], { resourceType: 'STORAGE' }));
    e.export(batch([{ id: 'v9', name: 'other', timestamps: [0], values: { iops: [1] } }], { storageId: 's2' }));
    e.retire({ storageId: 's1', resourceType: 'VOLUME' });
    let text = await e.metrics();
    assert.doesNotMatch(text, /resource_id="v1"/);
    assert.match(text, /resource_id="SN1"/);
    e.retire({ storageId: 's1' });
    text = await e.metrics();
    assert.doesNotMatch(text, /storage_id="s1"/);
    assert.match(text, /storage_id="s2"/);
  });

  test('a resource not reported for three intervals goes stale and leaves', () => {
    let now = 0;
    const e = new PrometheusExporter(() => now);
    e.export(batch([{ id: 'v1', name: 'v', timestamps: [0], values: { iops: [1] } }]));
    now = 3 * 60_000 + 60_000;
    assert.equal(e.sweep(), 0);
    now += 1;
    assert.equal(e.sweep(), 1);
    assert.equal(e.seriesCount, 0);
  });
});

describe('metric batches', () => {
  test('a metric with other timestamps than the rest of its resource gets an entry of its own', () => {
    const series = [
      { resourceType: 'VOLUME' as const, resourceId: 'v1', metric: 'iops', unit: 'IOPS', timestamps: [0, 60_000], values: [1, 2] },
      { resourceType: 'VOLUME' as const, resourceId: 'v1', metric: 'ioSize', unit: 'KB', timestamps: [0, 60_000], values: [8, 8] },
      { resourceType: 'VOLUME' as const, resourceId: 'v1', metric: 'responseTime', unit: 'ms', timestamps: [30_000], values: [0.5] },
    ];
    const [batch] = toBatches(header, series, new Map());
    assert.deepEqual(batch!.resources.map((r) => [r.id, r.timestamps, Object.keys(r.values)]), [
      ['v1', [0, 60_000], ['iops', 'ioSize']],
      ['v1', [30_000], ['responseTime']],
    ]);
    assert.deepEqual(batch!.units, { iops: 'IOPS', ioSize: 'KB', responseTime: 'ms' });
  });

  test('series are grouped by resource and split so no batch passes the point limit', () => {
    const series = [];
    const times = [0, 60_000];
    for (let r = 0; r < 10; r++) for (const metric of ['iops', 'throughput']) series.push({ resourceType: 'VOLUME' as const, resourceId: `v${r}`, metric, unit: 'IOPS', timestamps: times, values: [r, r] });
    const batches = toBatches(header, series, new Map([['v0', 'first']]), 9);
    assert.equal(batches.length, 5, 'two resources of four samples each per batch');
    assert.ok(batches.every((b) => countSamples(b) <= 9));
    assert.deepEqual(batches[0]!.resources[0], { id: 'v0', name: 'first', timestamps: times, values: { iops: [0, 0], throughput: [0, 0] } });
    assert.equal(batches[0]!.resources[0]!.name, 'first');
    assert.equal(batches[0]!.resources[1]!.name, null);
    assert.deepEqual(batches.flatMap((b) => b.resources.map((r) => r.id)), series.filter((s) => s.metric === 'iops').map((s) => s.resourceId));
  });
});
