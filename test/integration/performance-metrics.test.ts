// Performance collection end to end, with the real processes (api, scheduler, worker), the real
// NATS and PostgreSQL, and a real Prometheus scraping the api's /metrics: polling on, samples in
// Prometheus with the simulator's values, the subscription and the NATS subject, back-fill
// after a stopped worker, retries and lost windows, disable and delete.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError, subscribe } from '../support/graphql.js';
import { REGISTER, fakeInput } from '../support/operations.js';
import { DELETE_STORAGE } from '../support/tasks.js';
import { waitForTask, until } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { COLLECTIONS, METRICS_CONFIG, METRIC_SAMPLES, UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';
import { metricValue } from '../../src/drivers/fake/fake-metrics.js';
import { parseFakeOptions } from '../../src/drivers/fake/fake-options.js';
import type { MetricBatch } from '../../src/exporters/metric-batch.js';

const STEP = 1; // the simulator gives one sample a second here
const extra = (more: Record<string, unknown> = {}) => ({ pools: 2, volumes: 4, metricStepSeconds: STEP, ...more });

/** Whether `value` is the simulator's value of that series at one of the last `seconds` steps. */
function isSimulatorValue(host: string, more: Record<string, unknown>, type: 'STORAGE' | 'VOLUME', id: string, metric: string, value: number, factor = 1): boolean {
  const options = parseFakeOptions({ rest: { host, port: 8443, username: 'admin', password: 'x' }, extraAttributes: extra(more) });
  const now = Math.floor(Date.now() / 1000) * 1000;
  for (let t = now + 5000; t > now - 120_000; t -= STEP * 1000) {
    const expected = metricValue(options, type, id, metric, t) * factor;
    if (Math.abs(expected - value) <= 1e-9 * Math.max(1, Math.abs(expected))) return true;
  }
  return false;
}

describe('performance metrics', { timeout: 240_000 }, () => {
  let env: TestEnv;
  let api: DelfinProcess;
  let scheduler: DelfinProcess;
  let worker: DelfinProcess;
  let prom: PrometheusServer;
  let nc: NatsConnection;

  before(async () => {
    const policy = policyFile({
      scheduler: { processEveryMs: 200 },
      worker: { ackWaitSeconds: 10 },
      metrics: { overlapSeconds: 1, chunkSeconds: 5, windowAttempts: 3, backoffMs: 100, historyHorizonSeconds: 3600, windowRetry: { tries: 2, horizonSeconds: 2 } },
    });
    env = testEnv('perf', { DELFIN_CONFIG: policy, DELFIN_MIN_INTERVAL_SECONDS: '1', SCHEDULER_BACKEND: 'postgres' });
    api = await startDelfin('api', env.env);
    scheduler = await startDelfin('scheduler', env.env);
    worker = await startDelfin('worker', env.env);
    prom = await startPrometheus(new URL(api.url).host);
    nc = await connect({ servers: env.env.NATS_URL });
  });

  after(async () => {
    await nc?.close();
    await prom?.stop();
    for (const p of [worker, scheduler, api]) await p?.stop();
    await env?.cleanup();
  });

  async function register(host: string, more: Record<string, unknown> = {}): Promise<string> {
    const { registerStorage } = await gql(api.url, REGISTER, { input: fakeInput(host, extra(more), host) });
    return registerStorage.id;
  }

  async function collections(storageId: string, resourceType: string): Promise<any[]> {
    const { tasks } = await gql(api.url, COLLECTIONS, { storageId });
    return tasks.edges.map((e: any) => e.node).filter((t: any) => t.kind === 'COLLECT_PERFORMANCE' && t.resourceType === resourceType);
  }

  it('applies the policy defaults at registration and refuses bad input, changing nothing', async () => {
    const id = await register('perf-defaults.example');
    const { metricsConfig } = await gql(api.url, METRICS_CONFIG, { storageId: id });
    assert.deepEqual(metricsConfig, {
      storageId: id,
      arrayPolling: polling(true, 900),
      poolPolling: polling(false, 900),
      volumePolling: polling(false, 900),
      diskPolling: polling(false, 900),
      controllerPolling: polling(false, 900),
      portPolling: polling(false, 900),
    });
    const tooShort = await gqlError(api.url, UPDATE_METRICS_CONFIG, { storageId: id, input: { volumePolling: polling(true, 0) } });
    assert.equal(tooShort.code, 'BAD_USER_INPUT');
    assert.match(tooShort.message, /volumePolling\.interval must be between 1 and 86400 seconds; got 0/);
    const tooLong = await gqlError(api.url, UPDATE_METRICS_CONFIG, { storageId: id, input: { arrayPolling: polling(true, 90_000), volumePolling: polling(true, 5) } });
    assert.equal(tooLong.code, 'BAD_USER_INPUT');
    const none = await gqlError(api.url, UPDATE_METRICS_CONFIG, { storageId: id, input: {} });
    assert.equal(none.code, 'BAD_USER_INPUT');
    const wrongType = await gqlError(api.url, UPDATE_METRICS_CONFIG, { storageId: id, input: { poolPolling: { perfCollection: 'yes', interval: 5, isHistoric: false } } });
    assert.equal(wrongType.code, 'BAD_USER_INPUT');
    const unknown = await gqlError(api.url, UPDATE_METRICS_CONFIG, { storageId: '00000000-0000-4000-8000-000000000000', input: { poolPolling: polling(true, 5) } });
    assert.equal(unknown.code, 'NOT_FOUND');
    const after = await gql(api.url, METRICS_CONFIG, { storageId: id });
    assert.deepEqual(after.metricsConfig, metricsConfig, 'bad input changed nothing');
    await gql(api.url, DELETE_STORAGE, { id });
  });

  let storageId: string;
  const host = 'perf-array.example';

  it('collects array and volume performance into Prometheus with the simulator values and labels', async () => {
    storageId = await register(host);
    const { updateMetricsConfig } = await gql(api.url, UPDATE_METRICS_CONFIG, {
      storageId,
      input: { arrayPolling: polling(true, 2, true), volumePolling: polling(true, 2, true) },
    });
    assert.deepEqual(updateMetricsConfig.volumePolling, polling(true, 2, true));
    const iops = await until('array and volume iops in Prometheus', async () => {
      const r = await prom.query(`delfin_io_operations_per_second{storage_id="${storageId}"}`);
      const types = new Set(r.map((s) => s.metric.resource_type));
      return r.length === 5 && types.has('storage') && types.has('volume') && r;
    });
    for (const s of iops) {
      assert.equal(s.metric.storage_name, host);
      assert.match(s.metric.serial_number!, /^FAKE/);
      const type = s.metric.resource_type === 'storage' ? 'STORAGE' : 'VOLUME';
      assert.ok(isSimulatorValue(host, {}, type, s.metric.resource_id!, 'iops', Number(s.value[1])), `iops ${s.value[1]} of ${s.metric.resource_id} is the simulator's`);
      if (type === 'VOLUME') assert.notEqual(s.metric.resource_name, s.metric.resource_id, 'volumes are labelled with their names');
    }
    // Base units: milliseconds become seconds, percentages ratios.
    const rt = await prom.query(`delfin_response_time_seconds{storage_id="${storageId}",resource_type="storage"}`);
    assert.equal(rt.length, 1);
    assert.ok(isSimulatorValue(host, {}, 'STORAGE', rt[0]!.metric.resource_id!, 'responseTime', Number(rt[0]!.value[1]), 1e-3));
    const hit = await prom.query(`delfin_cache_hit_ratio{storage_id="${storageId}",resource_type="storage"}`);
    assert.ok(Number(hit[0]!.value[1]) > 0 && Number(hit[0]!.value[1]) <= 1);
    // Pools are not collected: their polling is off.
    assert.deepEqual(await prom.query(`delfin_io_operations_per_second{storage_id="${storageId}",resource_type="storage_pool"}`), []);
  });

  it('streams batches to the metricSamples subscription with exact values', async () => {
    const sub = subscribe<{ metricSamples: any }>(api.url, METRIC_SAMPLES, { storageId, resourceType: 'VOLUME' });
    try {
      const [first] = await sub.waitFor((p) => p.metricSamples.samples.length > 0, 20_000);
      const batch = first!.metricSamples;
      assert.equal(batch.storageId, storageId);
      assert.equal(batch.resourceType, 'VOLUME');
      const options = parseFakeOptions({ rest: { host, port: 8443, username: 'admin', password: 'x' }, extraAttributes: extra() });
      for (const s of batch.samples.slice(0, 50)) {
        assert.equal(s.resourceType, 'VOLUME');
        assert.equal(s.value, metricValue(options, 'VOLUME', s.resourceId, s.metric, Date.parse(s.timestamp)));
      }
      assert.ok(batch.samples.some((s: any) => s.metric === 'throughput' && s.unit === 'MB/s'));
    } finally {
      await sub.close();
    }
  });

  it('back-fills the windows missed while no worker ran, without a gap', async () => {
    const seen = new Set<number>();
    let volume: string | undefined; // the first volume seen: its iops timestamps are followed
    const sub = nc.subscribe(`${env.namespace}.metrics.${storageId}.VOLUME`, {
      callback: (_err, msg) => {
        const batch = msg.json<MetricBatch>();
        volume ??= batch.resources[0]?.id;
        for (const r of batch.resources) if (r.id === volume && r.values.iops) for (const t of r.timestamps) seen.add(t);
      },
    });
    try {
      await until('samples on the NATS subject', async () => seen.size > 0);
      const stoppedAt = Date.now();
      assert.equal(await worker.stop(), 0);
      await new Promise((r) => setTimeout(r, 6000));
      worker = await startDelfin('worker', env.env);
      const restartedAt = Date.now();
      await until('samples after the restart', async () => Math.max(...seen) > restartedAt + 2000);
      const from = Math.ceil((stoppedAt - 1000) / 1000) * 1000;
      const missing = [];
      for (let t = from; t <= restartedAt; t += 1000) if (!seen.has(t)) missing.push(new Date(t).toISOString());
      assert.deepEqual(missing, [], 'every second of the downtime was back-filled');
    } finally {
      sub.unsubscribe();
    }
  });

  it('retries a failed window and records a window that keeps failing as lost', async () => {
    const flaky = await register('perf-flaky.example', { metricsFailures: 2 });
    const broken = await register('perf-broken.example', { metricsFailures: 1000 });
    for (const id of [flaky, broken]) await gql(api.url, UPDATE_METRICS_CONFIG, { storageId: id, input: { arrayPolling: polling(true, 2) } });
    const retried = await until('a flaky poll that succeeded after retries', async () =>
      (await collections(flaky, 'STORAGE')).find((t) => t.status === 'SUCCEEDED' && t.collection?.windowsCollected > 0),
    );
    assert.equal(retried.collection.retries, 2);
    assert.deepEqual(retried.collection.lostWindows, []);
    const lost = await until('a poll with lost windows', async () =>
      (await collections(broken, 'STORAGE')).find((t) => t.status === 'SUCCEEDED' && t.collection?.lostWindows.length > 0),
    );
    assert.match(lost.collection.lostWindows[0].reason, /failed in 2 polls \(3 times each\): .*injected failure/);
    assert.match(lost.message, /lost/);
    assert.equal(lost.collection.windowsCollected, 0);
  });

  it('disabling a resource type stops its series; deleting the storage removes the rest', async () => {
    await gql(api.url, UPDATE_METRICS_CONFIG, { storageId, input: { volumePolling: polling(false, 2) } });
    await until('volume series gone from Prometheus', async () =>
      (await prom.query(`delfin_io_operations_per_second{storage_id="${storageId}",resource_type="volume"}`)).length === 0,
    );
    assert.equal((await prom.query(`delfin_io_operations_per_second{storage_id="${storageId}",resource_type="storage"}`)).length, 1, 'the array is still collected');
    const openVolumePolls = async () => (await collections(storageId, 'VOLUME')).filter((t) => t.status === 'QUEUED' || t.status === 'RUNNING');
    await until('no volume poll open', async () => (await openVolumePolls()).length === 0);
    const before = (await collections(storageId, 'VOLUME')).length;
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal((await collections(storageId, 'VOLUME')).length, before, 'no volume poll is queued once disabled');

    const { deleteStorage } = await gql(api.url, DELETE_STORAGE, { id: storageId });
    assert.equal((await waitForTask(api.url, deleteStorage.id)).status, 'SUCCEEDED');
    await until('every series of the storage gone', async () => (await prom.query(`{storage_id="${storageId}"}`)).length === 0);
  });
});
