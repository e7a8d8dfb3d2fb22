// Cumulative counters end to end against the real SNIA Swordfish emulator: the real api,
// scheduler and worker processes, PostgreSQL, NATS and Prometheus. Counters PATCHed into the
// emulator between two polls become exact rates in metricSamples and in Prometheus; a counter
// that goes down is a recorded reset, never a negative rate; a worker started after the first
// one stopped continues the rates from the reading kept in PostgreSQL; a volume deleted on the
// array takes its reading along, and so does the storage.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe, type Subscription } from '../support/graphql.js';
import { SYNC } from '../support/operations.js';
import { DELETE_STORAGE } from '../support/tasks.js';
import { waitForTask, until as waitUntil } from '../support/wait.js';
import { withDb } from '../support/db.js';
import { policyFile } from '../support/policy-file.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { COLLECTIONS, METRIC_SAMPLES, UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';
import { EMULATOR_PASSWORD, EMULATOR_USER, skipWithoutEmulator, startEmulator, type Emulator } from '../support/swordfish.js';

const skip = skipWithoutEmulator();
if (skip) console.log(`# skipping the Swordfish performance tests: ${skip}`);

const t = testEnv('sfperf', {
  DELFIN_CONFIG: policyFile({
    scheduler: { processEveryMs: 200 },
    worker: { ackWaitSeconds: 10 },
    drivers: { callTimeoutSeconds: 5 },
    metrics: { windowAttempts: 1, backoffMs: 100 },
  }),
  DELFIN_MIN_INTERVAL_SECONDS: '1',
  SCHEDULER_BACKEND: 'postgres',
});
let emu: Emulator;
let api: DelfinProcess;
let scheduler: DelfinProcess;
let worker: DelfinProcess;
let prom: PrometheusServer;
let sub: Subscription<{ metricSamples: any }>;

const S1 = '/redfish/v1/Storage/IPAttachedDrive1';
const VOL = `${S1}/Volumes/PerfVol`;
const OK = { State: 'Enabled', Health: 'OK' };
const REGISTER = `mutation Register($input: RegisterStorageInput!) { registerStorage(input: $input) { id } }`;
let storageId: string;
/** Read and write requests and KiB of PerfVol as the emulator holds them. */
const counters = { ReadIORequests: 1000, WriteIORequests: 500, ReadIOKiBytes: 8000, WriteIOKiBytes: 4000 };

before(async () => {
  if (skip) return;
  emu = await startEmulator();
  api = await startDelfin('api', t.env);
  scheduler = await startDelfin('scheduler', t.env);
  worker = await startDelfin('worker', t.env);
  prom = await startPrometheus(new URL(api.url).host);
});

after(async () => {
  await sub?.close();
  await prom?.stop();
  for (const p of [worker, scheduler, api]) await p?.stop();
  await emu?.destroy();
  await t.cleanup();
});

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 40_000) => waitUntil(what, fn, timeoutMs);

async function setCounters(change: Partial<typeof counters>): Promise<void> {
  Object.assign(counters, change);
  const res = await emu.request('PATCH', VOL, { Status: OK, IOStatistics: counters });
  assert.ok(res.status < 300, `PATCH IOStatistics: HTTP ${res.status}`);
}

/** PerfVol's samples of one metric seen on metricSamples so far, by time. */
function samples(metric: string): Array<{ at: number; value: number }> {
  return sub.received
    .flatMap((p) => p.metricSamples.samples)
    .filter((s: any) => s.resourceId === VOL && s.metric === metric)
    .map((s: any) => ({ at: Date.parse(s.timestamp), value: s.value as number }))
    .sort((a, b) => a.at - b.at);
}

const reading = () =>
  withDb(t.databaseUrl, async (c) => {
    const { rows } = await c.query('select read_at, counters from metric_counter_reading where resource_id = $1', [VOL]);
    return rows[0] as { read_at: Date; counters: Record<string, number> } | undefined;
  });

test('counters posted between two polls become exact rates in metricSamples and Prometheus', { skip }, async () => {
  await emu.create(VOL, { Name: 'perf', Status: OK, CapacityBytes: 1024 ** 3, IOStatistics: counters });
  const input = {
    vendor: 'snia', model: 'swordfish', extraAttributes: { storage: S1 },
    rest: { host: emu.host, port: emu.port, username: EMULATOR_USER, password: EMULATOR_PASSWORD, caCertificate: emu.certPem },
  };
  storageId = (await gql(api.url, REGISTER, { input })).registerStorage.id;
  const { tasks } = await gql(api.url, COLLECTIONS, { storageId });
  assert.equal((await waitForTask(api.url, tasks.edges.at(-1).node.id)).status, 'SUCCEEDED');
  sub = subscribe(api.url, METRIC_SAMPLES, { storageId, resourceType: 'VOLUME' });
  await gql(api.url, UPDATE_METRICS_CONFIG, { storageId, input: { volumePolling: polling(true, 2) } });

  // Unchanged counters: rates of 0 once two readings were made.
  await until('two samples of PerfVol', async () => samples('iops').length >= 2);
  assert.ok(samples('iops').every((s) => s.value === 0));
  await setCounters({ ReadIORequests: 1600, ReadIOKiBytes: 8000 + 4800 });
  const [before, moved] = await until('a sample with the new reads', async () => {
    const all = samples('readIops');
    const i = all.findIndex((s) => s.value > 0);
    return i > 0 && [all[i - 1]!, all[i]!];
  });
  const seconds = (moved.at - before.at) / 1000;
  assert.equal(moved.value, 600 / seconds, '600 reads over the time between the two readings');
  const at = (metric: string) => samples(metric).find((s) => s.at === moved.at)!.value;
  assert.equal(at('iops'), 600 / seconds);
  assert.equal(at('writeIops'), 0);
  assert.equal(at('readThroughput'), 4800 / 1024 / seconds);
  assert.equal(at('readIoSize'), 8);
  const peak = await until('the rate in Prometheus', async () => {
    const r = await prom.query(`max_over_time(delfin_io_operations_per_second{storage_id="${storageId}",resource_id="${VOL}"}[5m])`);
    return r.length === 1 && Number(r[0]!.value[1]) > 0 && r[0]!;
  });
  assert.equal(Number(peak.value[1]), 600 / seconds, 'Prometheus holds the exact rate');
  assert.equal(peak.metric.resource_type, 'volume');
  assert.equal(peak.metric.resource_name, 'perf');
});

test('a counter that goes down is a recorded reset, never a negative rate', { skip }, async () => {
  const seen = samples('iops').length;
  await setCounters({ ReadIORequests: 100 });
  const poll = await until('a poll that recorded the reset', async () => {
    const { tasks } = await gql(api.url, COLLECTIONS, { storageId });
    return tasks.edges.map((e: any) => e.node).find((n: any) => n.collection?.counterResets?.some((r: any) => r.resourceId === VOL));
  });
  assert.equal(poll.status, 'SUCCEEDED');
  const reset = poll.collection.counterResets.find((r: any) => r.resourceId === VOL);
  assert.deepEqual(reset.counters, ['ReadIORequests']);
  assert.match(poll.message, /1 counter reset/);
  // The reading of the reset is the base of the next rate.
  await setCounters({ ReadIORequests: 400 });
  const next = await until('a rate after the reset', async () => samples('readIops').find((s) => s.at > Date.parse(reset.end) && s.value > 0));
  assert.equal(next.value, 300 / ((next.at - Date.parse(reset.end)) / 1000));
  assert.ok(samples('iops').length > seen);
  for (const metric of ['iops', 'readIops', 'throughput', 'readThroughput']) {
    assert.ok(samples(metric).every((s) => s.value >= 0), `no negative ${metric}`);
  }
});

test('a worker started after the first one stopped continues the rates from the kept reading', { skip }, async () => {
  assert.equal(await worker.stop(), 0);
  const kept = (await reading())!;
  assert.equal(kept.counters.ReadIORequests, counters.ReadIORequests);
  await setCounters({ ReadIORequests: counters.ReadIORequests + 900 });
  const stoppedAt = Date.now();
  worker = await startDelfin('worker', t.env);
  const first = await until('the first rate of the new worker', async () => samples('readIops').find((s) => s.at > stoppedAt));
  assert.equal(first.value, 900 / ((first.at - kept.read_at.getTime()) / 1000), 'the rate spans the reading kept before the stop');
});

test('a reading that failed is not retried: the next good one covers the gap as one window', { skip }, async () => {
  const volumePolls = async () => {
    const { tasks } = await gql(api.url, COLLECTIONS, { storageId });
    return tasks.edges.map((e: any) => e.node).filter((n: any) => n.kind === 'COLLECT_PERFORMANCE' && n.resourceType === 'VOLUME' && n.status === 'SUCCEEDED');
  };
  await setCounters({ ReadIORequests: counters.ReadIORequests + 500 });
  process.kill(emu.pid, 'SIGSTOP'); // the array stops answering: the reading times out
  let failed: any;
  try {
    failed = await until('a poll whose reading failed', async () =>
      (await volumePolls()).find((p: any) => p.collection?.retriedWindows?.length > 0),
    );
  } finally {
    process.kill(emu.pid, 'SIGCONT');
  }
  const gap = failed.collection.retriedWindows[0];
  assert.equal(gap.nextTryAt, null, 'counters cannot be read for the past: no later try');
  assert.match(gap.reason, /the next reading covers this time/);
  assert.equal(failed.collection.windowsCollected, 0);
  const kept = (await reading())!; // what the failed poll left: the last good reading
  const next = await until('the next good poll', async () =>
    (await volumePolls()).find((p: any) => p.collection?.windowsCollected === 1 && Date.parse(p.createdAt) > Date.parse(failed.createdAt)),
  );
  assert.equal(next.collection.collectedFrom, gap.start, 'one window from where the failed one started');
  const sample = await until('its sample', async () => samples('readIops').find((x) => x.at > kept.read_at.getTime()));
  const reads = counters.ReadIORequests - kept.counters.ReadIORequests!;
  assert.equal(sample.value, reads / ((sample.at - kept.read_at.getTime()) / 1000), 'the rate spans the whole gap');
});

test('a drive and a controller with IOStatistics: exact rates under DISK and CONTROLLER', { skip }, async () => {
  const DRIVE = '/redfish/v1/Chassis/EBOFEnclosure/Drives/IPAttachedDrive1';
  const CONTROLLER = `${S1}/Controllers/NVMeIOController`;
  const io = (reads: number) => ({ IOStatistics: { ReadIORequests: reads, WriteIORequests: 0, ReadIOKiBytes: 4 * reads, WriteIOKiBytes: 0 } });
  for (const path of [DRIVE, CONTROLLER]) assert.ok((await emu.request('PATCH', path, { Status: OK, ...io(100) })).status < 300, path);
  const all = subscribe<{ metricSamples: any }>(api.url, METRIC_SAMPLES, { storageId });
  try {
    const of = (type: string, id: string) =>
      all.received
        .flatMap((p) => p.metricSamples.samples)
        .filter((x: any) => x.resourceType === type && x.resourceId === id && x.metric === 'readIops')
        .map((x: any) => ({ at: Date.parse(x.timestamp), value: x.value as number }))
        .sort((a, b) => a.at - b.at);
    await gql(api.url, UPDATE_METRICS_CONFIG, { storageId, input: { diskPolling: polling(true, 2), controllerPolling: polling(true, 2) } });
    await until('samples of the drive and the controller', async () => of('DISK', DRIVE).length > 0 && of('CONTROLLER', CONTROLLER).length > 0);
    for (const [type, path, reads] of [['DISK', DRIVE, 250], ['CONTROLLER', CONTROLLER, 700]] as const) {
      assert.ok((await emu.request('PATCH', path, { Status: OK, ...io(100 + reads) })).status < 300);
      const [before, moved] = await until(`a ${type} rate`, async () => {
        const got = of(type, path);
        const i = got.findIndex((x) => x.value > 0);
        return i > 0 && [got[i - 1]!, got[i]!];
      });
      assert.equal(moved.value, reads / ((moved.at - before.at) / 1000), `${type}: ${reads} reads over the time between two readings`);
    }
    const series = await until('the drive in Prometheus', async () => {
      const r = await prom.query(`delfin_read_operations_per_second{storage_id="${storageId}",resource_type="disk"}`);
      return r.length === 1 && r;
    });
    assert.equal(series[0]!.metric.resource_id, DRIVE);
  } finally {
    await all.close();
  }
  await gql(api.url, UPDATE_METRICS_CONFIG, { storageId, input: { diskPolling: polling(false, 2), controllerPolling: polling(false, 2) } });
});

test('a volume deleted on the array takes its reading along, and the storage the rest', { skip }, async () => {
  assert.ok(await reading());
  // Polls off first, so the sync's deletion (not a poll that no longer reads the volume) removes it.
  await gql(api.url, UPDATE_METRICS_CONFIG, { storageId, input: { volumePolling: polling(false, 2) } });
  await until('no volume poll open', async () => {
    const { tasks } = await gql(api.url, COLLECTIONS, { storageId });
    return !tasks.edges.some((e: any) => e.node.kind === 'COLLECT_PERFORMANCE' && ['QUEUED', 'RUNNING'].includes(e.node.status));
  });
  assert.ok(await reading(), 'the reading stays while the volume exists');
  assert.ok((await emu.request('DELETE', VOL)).status < 300);
  const { syncStorage } = await gql(api.url, SYNC, { id: storageId });
  assert.equal((await waitForTask(api.url, syncStorage.id)).status, 'SUCCEEDED');
  await until('the reading of the deleted volume gone', async () => (await reading()) === undefined);
  const { deleteStorage } = await gql(api.url, DELETE_STORAGE, { id: storageId });
  assert.equal((await waitForTask(api.url, deleteStorage.id)).status, 'SUCCEEDED');
  const left = await withDb(t.databaseUrl, async (c) => (await c.query('select count(*)::int as n from metric_counter_reading')).rows[0].n);
  assert.equal(left, 0);
});
