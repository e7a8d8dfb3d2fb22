// Failed performance windows are retried by later polls, not lost (issue 16): the simulator's
// performance calls fail for three polls (extraAttributes.failAt = metrics, set and cleared
// through updateAccessInfo), the windows wait in the retry list, and once the simulator answers
// again every second of that time reaches NATS and metricSamples with the simulator's values,
// and Prometheus holds the latest; Task.collection says what was retried and recovered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe } from '../support/graphql.js';
import { REGISTER, UPDATE_ACCESS, fakeInput } from '../support/operations.js';
import { DELETE_STORAGE } from '../support/tasks.js';
import { waitForTask, until as waitUntil } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { policyFile } from '../support/policy-file.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { COLLECTIONS, METRIC_SAMPLES, UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';
import { metricValue } from '../../src/drivers/fake/fake-metrics.js';
import { parseFakeOptions } from '../../src/drivers/fake/fake-options.js';
import type { MetricBatch } from '../../src/exporters/metric-batch.js';

const HOST = 'perf-retry.example';
const ATTRS = { pools: 1, volumes: 2, metricStepSeconds: 1 };
// Five tries over 30 s: later polls try a failed window 2, 6, 14 and 30 s after its first failure
// (room for a loaded machine: a window is lost only if the failing lasts longer).
const t = testEnv('perfretry', {
  DELFIN_CONFIG: policyFile({
    scheduler: { processEveryMs: 200 },
    worker: { ackWaitSeconds: 10 },
    metrics: { overlapSeconds: 0, chunkSeconds: 5, windowAttempts: 1, backoffMs: 100, historyHorizonSeconds: 3600, windowRetry: { tries: 5, horizonSeconds: 30 } },
  }),
  DELFIN_MIN_INTERVAL_SECONDS: '1',
  SCHEDULER_BACKEND: 'postgres',
});
let api: DelfinProcess;
let scheduler: DelfinProcess;
let worker: DelfinProcess;
let prom: PrometheusServer;
let nc: NatsConnection;

before(async () => {
  api = await startDelfin('api', t.env);
  scheduler = await startDelfin('scheduler', t.env);
  worker = await startDelfin('worker', t.env);
  prom = await startPrometheus(new URL(api.url).host);
  nc = await connect({ servers: t.env.NATS_URL });
});

after(async () => {
  await nc?.close();
  await prom?.stop();
  for (const p of [worker, scheduler, api]) await p?.stop();
  await t.cleanup();
});

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 90_000) => waitUntil(what, fn, timeoutMs);

test('windows that fail for three polls are retried, recovered and exported with exact values', { timeout: 180_000 }, async () => {
  const { registerStorage } = await gql(api.url, REGISTER, { input: fakeInput(HOST, ATTRS, HOST) });
  const id: string = registerStorage.id;
  const serial: string = registerStorage.serialNumber;
  const options = parseFakeOptions({ rest: { host: HOST, port: 8443, username: 'admin', password: 'x' }, extraAttributes: ATTRS });
  const expected = (metric: string, at: number) => metricValue(options, 'STORAGE', serial, metric, at);
  const polls = async () => {
    const { tasks } = await gql(api.url, COLLECTIONS, { storageId: id });
    return tasks.edges.map((e: any) => e.node).filter((n: any) => n.kind === 'COLLECT_PERFORMANCE' && n.status === 'SUCCEEDED');
  };

  const onNats = new Map<number, number>(); // timestamp → iops of the array, as published on NATS
  const natsSub = nc.subscribe(`${t.namespace}.metrics.${id}.STORAGE`, {
    callback: (_err, msg) => {
      for (const r of msg.json<MetricBatch>().resources) r.timestamps.forEach((at, i) => onNats.set(at, r.values.iops![i]!));
    },
  });
  const samples = subscribe<{ metricSamples: any }>(api.url, METRIC_SAMPLES, { storageId: id, resourceType: 'STORAGE' });
  try {
    await gql(api.url, UPDATE_METRICS_CONFIG, { storageId: id, input: { arrayPolling: polling(true, 2, true) } });
    await until('samples on NATS', async () => onNats.size > 0);

    await gql(api.url, UPDATE_ACCESS, { id, input: { extraAttributes: { ...ATTRS, failAt: 'metrics' } } });
    const failing = await until('three polls whose windows failed', async () => {
      const failed = (await polls()).filter((p: any) => p.collection?.retriedWindows?.length > 0 && p.collection.windowsCollected === 0);
      return failed.length >= 3 && failed;
    });
    await gql(api.url, UPDATE_ACCESS, { id, input: { extraAttributes: ATTRS } });
    const failedFrom = Math.min(...failing.flatMap((p: any) => p.collection.retriedWindows.map((w: any) => Date.parse(w.start))));
    const recoveredFrom = Date.now();
    for (const p of failing) {
      assert.match(p.message, /to retry/);
      for (const w of p.collection.retriedWindows) assert.match(w.reason, /injected failure/);
    }

    const waiting = () => withDb(t.databaseUrl, async (c) => (await c.query('select count(*)::int as n from metric_window_retry')).rows[0].n as number);
    await until('the retry list empty again', async () => (await waiting()) === 0 && Math.max(...onNats.keys()) > recoveredFrom + 2000);
    const done = await polls();
    const recovered = done.flatMap((p: any) => p.collection?.recoveredWindows ?? []);
    assert.ok(recovered.length >= 3, `windows recovered: ${recovered.length}`);
    assert.ok(recovered.every((w: any) => w.tries >= 2));
    assert.deepEqual(done.flatMap((p: any) => p.collection?.lostWindows ?? []), [], 'no window lost');

    // Every second of the failing time reached NATS, with the simulator's value.
    const missing: string[] = [];
    for (let at = Math.ceil(failedFrom / 1000) * 1000; at <= recoveredFrom; at += 1000) {
      if (!onNats.has(at)) missing.push(new Date(at).toISOString());
      else assert.equal(onNats.get(at), expected('iops', at), `iops at ${new Date(at).toISOString()}`);
    }
    assert.deepEqual(missing, [], 'every second of the failing polls was collected later');

    // The subscription got the recovered windows too, exactly.
    const viaGraphql = samples.received.flatMap((p) => p.metricSamples.samples).filter((s: any) => Date.parse(s.timestamp) >= failedFrom && Date.parse(s.timestamp) <= recoveredFrom);
    assert.ok(viaGraphql.length > 0);
    for (const s of viaGraphql) assert.equal(s.value, expected(s.metric, Date.parse(s.timestamp)));
    const seconds = new Set(viaGraphql.map((s: any) => Date.parse(s.timestamp)));
    for (let at = Math.ceil(failedFrom / 1000) * 1000; at <= recoveredFrom; at += 1000) assert.ok(seconds.has(at), `metricSamples has ${new Date(at).toISOString()}`);

    // Prometheus holds the latest sample: the simulator's, not a recovered older one.
    const latest = await until('the array in Prometheus', async () => (await prom.query(`delfin_io_operations_per_second{storage_id="${id}"}`))[0]);
    const value = Number(latest.value[1]);
    const now = Math.floor(Date.now() / 1000) * 1000;
    const recent = [];
    for (let at = now + 2000; at > now - 20_000; at -= 1000) recent.push(expected('iops', at));
    assert.ok(recent.includes(value), `iops ${value} in Prometheus is one of the simulator's last values`);
  } finally {
    natsSub.unsubscribe();
    await samples.close();
  }
  const { deleteStorage } = await gql(api.url, DELETE_STORAGE, { id });
  assert.equal((await waitForTask(api.url, deleteStorage.id)).status, 'SUCCEEDED');
});
