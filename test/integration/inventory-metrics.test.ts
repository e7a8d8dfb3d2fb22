// Capacity, inventory and the system's own figures on /metrics (issue 16), with the real
// processes (two api replicas, a worker), PostgreSQL, NATS and a real Prometheus scraping both
// replicas: the figures equal the API's after a sync, both replicas export the same counts (so
// Prometheus' `max without (instance)` is what one counted, not twice), the inventory message
// reaches NATS, and a deleted storage's series leave.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { REGISTER, STORAGE, SYNC, fakeInput } from '../support/operations.js';
import { DELETE_STORAGE } from '../support/tasks.js';
import { waitForTask, until } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { withDb } from '../support/db.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { pick, scrape, type ScrapedSample } from '../support/exposition.js';
import type { InventoryMessage } from '../../src/exporters/inventory-message.js';

const one = (samples: ScrapedSample[], name: string, labels: Record<string, string>): number => {
  const found = pick(samples, name, labels);
  assert.equal(found.length, 1, `one ${name} ${JSON.stringify(labels)}; found ${found.length}`);
  return found[0]!.value;
};

const STORAGE_WITH_DISKS = `query S($id: ID!) { storage(id: $id) {
  disks(first: 1000) { totalCount edges { node { nativeDiskId name capacity } } }
  controllers(first: 1000) { totalCount } ports(first: 1000) { totalCount } } }`;

describe('inventory and system figures on /metrics', { timeout: 180_000 }, () => {
  let env: TestEnv;
  const apis: DelfinProcess[] = [];
  let worker: DelfinProcess;
  let prom: PrometheusServer;
  let nc: NatsConnection;

  before(async () => {
    // Volumes' and disks' capacities turned on (they are off by default).
    env = testEnv('inventory-metrics', { DELFIN_CONFIG: policyFile({ metrics: { inventory: { volumes: true, disks: true } } }) });
    apis.push(await startDelfin('api', env.env));
    apis.push(await startDelfin('api', env.env));
    worker = await startDelfin('worker', env.env);
    prom = await startPrometheus(apis.map((a) => new URL(a.url).host));
    nc = await connect({ servers: env.env.NATS_URL });
  });

  after(async () => {
    await nc?.close();
    await prom?.stop();
    for (const p of [worker, ...apis]) await p?.stop();
    await env?.cleanup();
  });

  let storageId: string;

  it('exports the capacities, counts, status and last sync the API reports, after a sync', async () => {
    const { registerStorage } = await gql(apis[0]!.url, REGISTER, { input: fakeInput('capacity-array.example', { pools: 3, volumes: 7, disks: 4 }, 'capacity-array') });
    storageId = registerStorage.id;
    const { tasks } = await gql(apis[0]!.url, `query T($s: ID) { tasks(storageId: $s) { edges { node { id } } } }`, { s: storageId });
    assert.equal((await waitForTask(apis[0]!.url, tasks.edges[0].node.id)).status, 'SUCCEEDED');
    const { storage } = await gql(apis[1]!.url, STORAGE, { id: storageId, first: 1000 });
    const { storage: hardware } = await gql(apis[1]!.url, STORAGE_WITH_DISKS, { id: storageId });

    for (const api of apis) {
      const m = await until('the synced storage on /metrics', async () => {
        const scraped = await scrape(api.url);
        return pick(scraped, 'delfin_last_sync_timestamp_seconds', { storage_id: storageId }).length === 1 && scraped;
      });
      const s = { storage_id: storageId, storage_name: 'capacity-array', serial_number: storage.serialNumber };
      const arrayLabels = { ...s, resource_type: 'storage', resource_id: storage.serialNumber, resource_name: 'capacity-array' };
      assert.equal(one(m, 'delfin_total_capacity_bytes', arrayLabels), Number(storage.totalCapacity));
      assert.equal(one(m, 'delfin_used_capacity_bytes', arrayLabels), Number(storage.usedCapacity));
      assert.equal(one(m, 'delfin_free_capacity_bytes', arrayLabels), Number(storage.freeCapacity));
      assert.equal(storage.pools.edges.length, 3);
      for (const { node: p } of storage.pools.edges) {
        const labels = { ...s, resource_type: 'storage_pool', resource_id: p.nativeStoragePoolId, resource_name: p.name };
        assert.equal(one(m, 'delfin_total_capacity_bytes', labels), Number(p.totalCapacity));
        assert.equal(one(m, 'delfin_used_capacity_bytes', labels), Number(p.usedCapacity));
        assert.equal(one(m, 'delfin_free_capacity_bytes', labels), Number(p.freeCapacity));
      }
      for (const { node: v } of storage.volumes.edges) {
        assert.equal(one(m, 'delfin_total_capacity_bytes', { storage_id: storageId, resource_type: 'volume', resource_id: v.nativeVolumeId }), Number(v.totalCapacity));
      }
      for (const { node: d } of hardware.disks.edges) {
        assert.equal(one(m, 'delfin_total_capacity_bytes', { storage_id: storageId, resource_type: 'disk', resource_id: d.nativeDiskId }), Number(d.capacity));
      }
      assert.equal(one(m, 'delfin_resources', { ...s, resource_type: 'storage_pool' }), storage.pools.totalCount);
      assert.equal(one(m, 'delfin_resources', { ...s, resource_type: 'volume' }), storage.volumes.totalCount);
      assert.equal(one(m, 'delfin_resources', { ...s, resource_type: 'disk' }), hardware.disks.totalCount);
      assert.equal(one(m, 'delfin_resources', { ...s, resource_type: 'controller' }), hardware.controllers.totalCount);
      assert.equal(one(m, 'delfin_resources', { ...s, resource_type: 'port' }), hardware.ports.totalCount);
      assert.equal(one(m, 'delfin_storage_status', { ...s, status: storage.status }), 1);
      assert.equal(pick(m, 'delfin_storage_status', s).reduce((n, x) => n + x.value, 0), 1, 'one status is 1, the others 0');
      assert.equal(one(m, 'delfin_last_sync_timestamp_seconds', s), new Date(storage.lastSyncedAt).getTime() / 1000);
      assert.equal(one(m, 'delfin_up', { dependency: 'postgresql' }), 1);
      assert.equal(one(m, 'delfin_up', { dependency: 'nats' }), 1);
    }
    // And in Prometheus, from either replica.
    const inProm = await until('the storage capacity in Prometheus', async () => {
      const r = await prom.query(`max without (instance) (delfin_total_capacity_bytes{storage_id="${storageId}", resource_type="storage"})`);
      return r.length === 1 && r[0];
    });
    assert.equal(Number(inProm.value[1]), Number(storage.totalCapacity));
  });

  it('publishes an inventory message per sync with the storage figures and the SyncStats', async () => {
    const sub = nc.subscribe(`${env.namespace}.inventory.${storageId}`, { max: 1 });
    const { syncStorage } = await gql(apis[0]!.url, SYNC, { id: storageId });
    const ended = await waitForTask(apis[0]!.url, syncStorage.id);
    assert.equal(ended.status, 'SUCCEEDED');
    let message: InventoryMessage | undefined;
    for await (const m of sub) message = m.json<InventoryMessage>();
    const { storage } = await gql(apis[0]!.url, STORAGE, { id: storageId, first: 1 });
    assert.deepEqual(
      { ...message!, stats: { poolsAdded: message!.stats!.poolsAdded, volumesUpdated: message!.stats!.volumesUpdated } },
      {
        storageId,
        name: 'capacity-array',
        serialNumber: storage.serialNumber,
        status: storage.status,
        totalCapacity: storage.totalCapacity,
        usedCapacity: storage.usedCapacity,
        freeCapacity: storage.freeCapacity,
        syncedAt: storage.lastSyncedAt,
        taskId: syncStorage.id,
        resources: { STORAGE_POOL: 3, VOLUME: storage.volumes.totalCount, DISK: 4, CONTROLLER: message!.resources.CONTROLLER, PORT: message!.resources.PORT },
        stats: { poolsAdded: ended.stats.poolsAdded, volumesUpdated: ended.stats.volumesUpdated },
      },
    );
  });

  it('counts tasks, durations and driver calls once, however many api replicas export them', async () => {
    // A storage whose syncs fail at the volumes: a FAILED task and a failed driver call.
    const { registerStorage } = await gql(apis[1]!.url, REGISTER, { input: fakeInput('failing-array.example', { failAt: 'volumes' }, 'failing-array') });
    const { tasks } = await gql(apis[0]!.url, `query T($s: ID) { tasks(storageId: $s) { edges { node { id } } } }`, { s: registerStorage.id });
    assert.equal((await waitForTask(apis[0]!.url, tasks.edges[0].node.id)).status, 'FAILED');

    const { rows } = await withDb(env.databaseUrl, (c) =>
      c.query(`select kind, status, count(*)::int as n from task where status in ('SUCCEEDED', 'FAILED', 'CANCELLED') group by kind, status`),
    );
    assert.ok(rows.length >= 2);
    // A scrape may be served from the figures read within the last second: wait for this end.
    const failedSyncs = { kind: 'SYNC_RESOURCES', status: 'FAILED' };
    await until('the failed sync counted on both replicas', async () =>
      (await Promise.all(apis.map((api) => scrape(api.url)))).every((m) => pick(m, 'delfin_tasks_total', failedSyncs)[0]?.value === 1),
    );
    for (const r of rows) {
      const labels = { kind: r.kind, status: r.status };
      const [a, b] = await Promise.all(apis.map((api) => scrape(api.url)));
      assert.equal(one(a!, 'delfin_tasks_total', labels), r.n, `${JSON.stringify(labels)} on the first replica`);
      assert.equal(one(b!, 'delfin_tasks_total', labels), r.n, `${JSON.stringify(labels)} on the second replica`);
      // Prometheus scrapes both: one series per replica, the same value; aggregated as the docs say.
      const q = `sum by (kind, status) (max without (instance) (delfin_tasks_total{kind="${r.kind}", status="${r.status}"}))`;
      const sum = await until(`${q} = ${r.n}`, async () => {
        const res = await prom.query(q);
        return res.length === 1 && Number(res[0]!.value[1]) === r.n && res;
      });
      assert.equal(Number(sum[0]!.value[1]), r.n);
      // One series per replica (once Prometheus scraped both since the series appeared), each the count.
      const perReplica = await until('both replicas scraped', async () => {
        const res = await prom.query(`delfin_tasks_total{kind="${r.kind}", status="${r.status}"}`);
        return res.length === 2 && res;
      });
      assert.deepEqual(perReplica.map((x) => Number(x.value[1])), [r.n, r.n]);
    }
    const m = await scrape(apis[0]!.url);
    const syncs = rows.filter((r) => r.kind === 'SYNC_RESOURCES').reduce((n, r) => n + r.n, 0);
    assert.equal(one(m, 'delfin_task_duration_seconds_count', { kind: 'SYNC_RESOURCES' }), syncs);
    assert.equal(one(m, 'delfin_task_duration_seconds_bucket', { kind: 'SYNC_RESOURCES', le: '+Inf' }), syncs);
    assert.equal(pick(m, 'delfin_tasks', { kind: 'SYNC_RESOURCES', status: 'RUNNING' }).length, 1, 'open tasks are exported, 0 included');
    // Driver calls reach PostgreSQL within the worker's flush interval.
    const calls = await until('driver calls counted', async () => {
      const s = await scrape(apis[1]!.url);
      const failed = pick(s, 'delfin_driver_call_errors_total', { driver: 'fake_storage/fake_driver', call: 'listVolumes' }).reduce((n, x) => n + x.value, 0);
      const gets = pick(s, 'delfin_driver_call_duration_seconds_count', { driver: 'fake_storage/fake_driver', call: 'getStorage' });
      return failed >= 1 && gets.length === 1 && gets[0]!.value >= 3 && s;
    });
    assert.ok(one(calls, 'delfin_driver_call_duration_seconds_sum', { driver: 'fake_storage/fake_driver', call: 'getStorage' }) >= 0);
  });

  it('drops a deleted storage\'s series', async () => {
    const { deleteStorage } = await gql(apis[0]!.url, DELETE_STORAGE, { id: storageId });
    await waitForTask(apis[0]!.url, deleteStorage.id);
    for (const api of apis) {
      await until('no series of the deleted storage', async () => (await scrape(api.url)).every((s) => s.labels.storage_id !== storageId));
    }
  });
});
