// Performance of disks, controllers and ports end to end (issue 16): diskPolling,
// controllerPolling and portPolling on a simulator with hardware bring each resource's samples
// to NATS (its own subject per type), the metricSamples subscription and Prometheus (labels
// resource_type disk/controller/port and the names the sync stored), with the simulator's values.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe } from '../support/graphql.js';
import { REGISTER, fakeInput } from '../support/operations.js';
import { DELETE_STORAGE } from '../support/tasks.js';
import { waitForTask, until as waitUntil } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { METRICS_CONFIG, METRIC_SAMPLES, UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';
import { metricValue } from '../../src/drivers/fake/fake-metrics.js';
import { parseFakeOptions } from '../../src/drivers/fake/fake-options.js';
import type { MetricBatch } from '../../src/exporters/metric-batch.js';

const HOST = 'perf-hardware.example';
const ATTRS = { pools: 1, volumes: 2, disks: 4, controllers: 2, portsPerController: 2, metricStepSeconds: 1 };
const TYPES = ['DISK', 'CONTROLLER', 'PORT'] as const;
const t = testEnv('perfhw', {
  DELFIN_CONFIG: policyFile({ scheduler: { processEveryMs: 200 }, metrics: { overlapSeconds: 1, chunkSeconds: 5, windowAttempts: 1, backoffMs: 100 } }),
  DELFIN_MIN_INTERVAL_SECONDS: '1',
  SCHEDULER_BACKEND: 'postgres',
});
let delfin: DelfinProcess;
let prom: PrometheusServer;
let nc: NatsConnection;

before(async () => {
  delfin = await startDelfin('all', t.env);
  prom = await startPrometheus(new URL(delfin.url).host);
  nc = await connect({ servers: t.env.NATS_URL });
});

after(async () => {
  await nc?.close();
  await prom?.stop();
  await delfin?.stop();
  await t.cleanup();
});

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 40_000) => waitUntil(what, fn, timeoutMs);

test('disks, controllers and ports are polled into NATS, metricSamples and Prometheus with exact values', { timeout: 120_000 }, async () => {
  const { registerStorage } = await gql(delfin.url, REGISTER, { input: fakeInput(HOST, ATTRS, HOST) });
  const id: string = registerStorage.id;
  const options = parseFakeOptions({ rest: { host: HOST, port: 8443, username: 'admin', password: 'x' }, extraAttributes: ATTRS });
  const HARDWARE = `query S($id: ID!) { storage(id: $id) { disks { totalCount } controllers { totalCount } ports { totalCount } } }`;
  await until('the first sync storing the hardware', async () => {
    const { storage } = await gql(delfin.url, HARDWARE, { id });
    return [storage.disks.totalCount, storage.controllers.totalCount, storage.ports.totalCount].join() === '4,2,4';
  });

  const onNats = new Map<string, Set<string>>(TYPES.map((type) => [type, new Set()]));
  const subs = TYPES.map((type) =>
    nc.subscribe(`${t.namespace}.metrics.${id}.${type}`, {
      callback: (_err, msg) => {
        const batch = msg.json<MetricBatch>();
        assert.equal(batch.resourceType, type);
        for (const r of batch.resources) {
          onNats.get(type)!.add(r.id);
          r.timestamps.forEach((at, i) => assert.equal(r.values.iops![i], metricValue(options, type, r.id, 'iops', at), `${type} ${r.id} iops`));
        }
      },
    }),
  );
  const samples = subscribe<{ metricSamples: any }>(delfin.url, METRIC_SAMPLES, { storageId: id, resourceType: 'PORT' });
  try {
    const input = { diskPolling: polling(true, 2), controllerPolling: polling(true, 2), portPolling: polling(true, 2) };
    const { updateMetricsConfig } = await gql(delfin.url, UPDATE_METRICS_CONFIG, { storageId: id, input });
    assert.deepEqual(updateMetricsConfig.portPolling, polling(true, 2));
    assert.deepEqual((await gql(delfin.url, METRICS_CONFIG, { storageId: id })).metricsConfig.diskPolling, polling(true, 2));

    await until('every disk, controller and port on NATS', async () => onNats.get('DISK')!.size === 4 && onNats.get('CONTROLLER')!.size === 2 && onNats.get('PORT')!.size === 4);
    const [first] = await samples.waitFor((p) => p.metricSamples.samples.length > 0, 20_000);
    for (const s of first!.metricSamples.samples) {
      assert.equal(s.resourceType, 'PORT');
      assert.equal(s.value, metricValue(options, 'PORT', s.resourceId, s.metric, Date.parse(s.timestamp)));
    }

    for (const [type, count] of [['disk', 4], ['controller', 2], ['port', 4]] as const) {
      const series = await until(`${type} series in Prometheus`, async () => {
        const r = await prom.query(`delfin_io_operations_per_second{storage_id="${id}",resource_type="${type}"}`);
        return r.length === count && r;
      });
      for (const s of series) {
        assert.notEqual(s.metric.resource_name, s.metric.resource_id, `${type} ${s.metric.resource_id} is labelled with its name`);
        assert.equal(s.metric.storage_name, HOST);
      }
    }
    // Only the polled types: the array's default polling, no pool or volume.
    assert.deepEqual(await prom.query(`delfin_io_operations_per_second{storage_id="${id}",resource_type="volume"}`), []);

    await gql(delfin.url, UPDATE_METRICS_CONFIG, { storageId: id, input: { portPolling: polling(false, 2) } });
    await until('port series retired', async () => (await prom.query(`delfin_io_operations_per_second{storage_id="${id}",resource_type="port"}`)).length === 0);
  } finally {
    for (const s of subs) s.unsubscribe();
    await samples.close();
  }
  const { deleteStorage } = await gql(delfin.url, DELETE_STORAGE, { id });
  assert.equal((await waitForTask(delfin.url, deleteStorage.id)).status, 'SUCCEEDED');
});
