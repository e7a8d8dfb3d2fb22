// An array that cannot be reached: the sync ends FAILED with the reason, the storage shows
// OFFLINE (in queries and in the task's end event), every row the last sync left stays, and a
// sync that reaches the array again brings back the status the array reports. An array that
// answers with an error is not OFFLINE. Shown with the simulator (its injected outage,
// unreachableAt) and with the SNIA Swordfish emulator stopped before and during a sync. A
// performance poll that cannot reach the array fails the same way (its window waits to be retried).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, subscribe } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC, TASKS, UPDATE_ACCESS } from '../support/operations.js';
import { until, waitForTask } from '../support/wait.js';
import { policyFile } from '../support/policy-file.js';
import { COLLECTIONS, UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';
import { EMULATOR_PASSWORD, EMULATOR_USER, skipWithoutEmulator, startEmulator, type Emulator } from '../support/swordfish.js';

const skip = skipWithoutEmulator();
if (skip) console.log(`# skipping the Swordfish outage tests: ${skip}`);

// Polls every second (the poll test); a failed window is tried once per poll, kept for later ones.
const t = testEnv('unreachable', {
  DELFIN_CONFIG: policyFile({ scheduler: { processEveryMs: 200 }, metrics: { windowAttempts: 1, backoffMs: 100, windowRetry: { tries: 5, horizonSeconds: 30 } } }),
  DELFIN_MIN_INTERVAL_SECONDS: '1',
});
let delfin: DelfinProcess;
let url: string;
let emu: Emulator | undefined;

before(async () => {
  delfin = await startDelfin('all', t.env);
  url = delfin.url;
});

after(async () => {
  await delfin?.stop();
  await emu?.destroy();
  await t.cleanup();
});

/** Each kind of row a sync writes, as the API lists it (one query per kind keeps each under the cost limit). */
const KINDS = {
  pools: 'nativeStoragePoolId totalCapacity', volumes: 'nativeVolumeId totalCapacity', disks: 'nativeDiskId',
  controllers: 'nativeControllerId', ports: 'nativePortId',
} as const;

/** What the API shows of a storage: its state and every row a sync wrote. */
async function rows(id: string) {
  const { storage } = await gql(url, `query($id: ID!) { storage(id: $id) { status syncState lastSyncedAt } }`, { id });
  const resources: Record<string, string[]> = {};
  for (const [kind, fields] of Object.entries(KINDS)) {
    const got = await gql(url, `query($id: ID!) { storage(id: $id) { ${kind}(first: 1000) { totalCount edges { node { ${fields} } } } } }`, { id });
    resources[kind] = got.storage[kind].edges.map((e: any) => JSON.stringify(e.node)).sort();
  }
  return { status: storage.status as string, syncState: storage.syncState as string, lastSyncedAt: storage.lastSyncedAt as string, resources };
}

const EVENTS = `subscription Ends($storageId: ID) { taskEvents(storageId: $storageId) { type task { id status phase error storage { status } } } }`;

async function firstSync(storageId: string) {
  const { tasks } = await gql(url, TASKS, { storageId });
  const task = await waitForTask(url, tasks.edges[0].node.id);
  assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
}

async function sync(storageId: string) {
  const { syncStorage } = await gql(url, SYNC, { id: storageId });
  return waitForTask(url, syncStorage.id, 120_000);
}

test('simulator out of reach: FAILED with the reason, OFFLINE in queries and in the end event, rows kept, NORMAL again after a sync reaches it', async () => {
  const attrs = { pools: 3, volumes: 250, pageSize: 100, disks: 6, controllers: 2, portsPerController: 2, seed: 'outage' };
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput('10.40.0.1', attrs) });
  await firstSync(s.id);
  const synced = await rows(s.id);
  assert.equal(synced.status, 'NORMAL');
  assert.equal(synced.resources.volumes.length, 250);

  const events = subscribe(url, EVENTS, { storageId: s.id });
  try {
    // The array answers for itself (so the access info can change), then goes out of reach.
    await gql(url, UPDATE_ACCESS, { id: s.id, input: { extraAttributes: { ...attrs, unreachableAt: 'pools', revision: 1 } } });
    const failed = await sync(s.id);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'the array is unreachable while reading pools: cannot reach fake storage at 10.40.0.1:8443: connection refused (injected outage)');
    assert.equal(failed.attempts, 1);
    const end = await events.waitFor((e: any) => e.taskEvents.task.id === failed.id && e.taskEvents.type === 'FAILED');
    const ended = end.find((e: any) => e.taskEvents.task.id === failed.id && e.taskEvents.type === 'FAILED')!.taskEvents;
    assert.equal(ended.task.storage.status, 'OFFLINE', 'the end event shows the storage OFFLINE');

    const offline = await rows(s.id);
    assert.equal(offline.status, 'OFFLINE');
    assert.equal(offline.syncState, 'FAILED');
    assert.equal(offline.lastSyncedAt, synced.lastSyncedAt);
    assert.deepEqual(offline.resources, synced.resources, 'nothing stored was lost');
    const { storages } = await gql(url, `{ storages(filter: { status: OFFLINE }) { edges { node { id } } } }`);
    assert.deepEqual(storages.edges.map((e: any) => e.node.id), [s.id]);

    // Back in reach (the access info changes only through an array that answers).
    await gql(url, UPDATE_ACCESS, { id: s.id, input: { extraAttributes: attrs } });
    const back = await sync(s.id);
    assert.equal(back.status, 'SUCCEEDED', JSON.stringify(back));
    const normal = await rows(s.id);
    assert.equal(normal.status, 'NORMAL');
    assert.equal(normal.syncState, 'SYNCED');
    assert.deepEqual(normal.resources, synced.resources);
  } finally {
    await events.close();
  }
});

test('a performance poll that cannot reach the array ends FAILED and the storage OFFLINE; its window is recovered once the array is back', async () => {
  const attrs = { pools: 1, volumes: 2, seed: 'poll-outage' };
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput('10.40.0.3', attrs) });
  await firstSync(s.id);
  const polls = async () => (await gql(url, COLLECTIONS, { storageId: s.id })).tasks.edges.map((e: any) => e.node).filter((n: any) => n.kind === 'COLLECT_PERFORMANCE');

  // The array answers for itself (its access info can change) but its performance calls are out of reach.
  await gql(url, UPDATE_ACCESS, { id: s.id, input: { extraAttributes: { ...attrs, unreachableAt: 'metrics' } } });
  await gql(url, UPDATE_METRICS_CONFIG, { storageId: s.id, input: { arrayPolling: polling(true, 1, true) } });
  const failed = await until('a failed poll', async () => (await polls()).find((p: any) => p.status === 'FAILED'), 60_000);
  assert.match(failed.error, /^the array is unreachable/);
  assert.equal((await rows(s.id)).status, 'OFFLINE');

  // Back in reach: a later poll collects the window that failed; a sync brings the status back.
  await gql(url, UPDATE_ACCESS, { id: s.id, input: { extraAttributes: attrs } });
  const recovered = await until('a poll that recovers the failed window', async () =>
    (await polls()).find((p: any) => p.status === 'SUCCEEDED' && p.collection?.recoveredWindows?.length > 0), 60_000,
  );
  assert.ok(recovered.collection.recoveredWindows.length >= 1, JSON.stringify(recovered.collection));
  await gql(url, UPDATE_METRICS_CONFIG, { storageId: s.id, input: { arrayPolling: polling(false, 1, true) } });
  assert.equal((await sync(s.id)).status, 'SUCCEEDED');
  assert.equal((await rows(s.id)).status, 'NORMAL');
});

test('an array that answers with an error (not an outage) fails the sync but is not OFFLINE', async () => {
  const attrs = { pools: 2, volumes: 20, seed: 'answers' };
  const { registerStorage: s } = await gql(url, REGISTER, { input: fakeInput('10.40.0.2', attrs) });
  await firstSync(s.id);
  await gql(url, UPDATE_ACCESS, { id: s.id, input: { extraAttributes: { ...attrs, failAt: 'volumes' } } });
  const failed = await sync(s.id);
  assert.equal(failed.status, 'FAILED');
  assert.match(failed.error, /^driver error while reading volumes: .*injected failure/);
  const after = await rows(s.id);
  assert.equal(after.status, 'NORMAL');
  assert.equal(after.syncState, 'FAILED');
});

const S1 = '/redfish/v1/Storage/IPAttachedDrive1';

async function registerSwordfish(e: Emulator) {
  const input = {
    vendor: 'snia', model: 'swordfish', name: 'swordfish-outage',
    rest: { host: e.host, port: e.port, username: EMULATOR_USER, password: EMULATOR_PASSWORD, caCertificate: e.certPem },
    // One request at a time and small pages: the sync takes long enough to be stopped in the middle.
    extraAttributes: { storage: S1, maxConcurrentRequests: 1, pageSize: 20, getAttempts: 2, retryBackoffMs: 50 },
  };
  const { registerStorage } = await gql(url, REGISTER, { input });
  return registerStorage.id as string;
}

test('Swordfish emulator stopped before a sync, and again during one: FAILED with the reason, OFFLINE, rows kept; NORMAL once it is back', { skip }, async () => {
  emu = await startEmulator();
  await emu.create(`${S1}/StoragePools/Pool1`, {
    Name: 'Pool 1', Status: { State: 'Enabled', Health: 'OK' }, Capacity: { Data: { AllocatedBytes: 2 ** 40, ConsumedBytes: 2 ** 38 } },
  });
  await emu.createVolumes(S1, 300);
  const id = await registerSwordfish(emu);
  await firstSync(id);
  const synced = await rows(id);
  assert.equal(synced.status, 'NORMAL');
  assert.equal(synced.resources.pools.length, 1);
  assert.equal(synced.resources.volumes.length, 301); // the emulator's own namespace and ours

  // Stopped before the sync: nothing answers on its port.
  await emu.stop();
  const before = await sync(id);
  assert.equal(before.status, 'FAILED');
  assert.match(before.error, new RegExp(`^the array is unreachable: cannot reach 127\\.0\\.0\\.1:${emu.port}: connection refused$`));
  let now = await rows(id);
  assert.equal(now.status, 'OFFLINE');
  assert.deepEqual(now.resources, synced.resources, 'nothing stored was lost');

  await emu.restart();
  const back = await sync(id);
  assert.equal(back.status, 'SUCCEEDED', JSON.stringify(back));
  now = await rows(id);
  assert.equal(now.status, 'NORMAL');
  assert.deepEqual(now.resources, synced.resources);

  // Stopped during a sync: killed as soon as the sync starts on the volumes.
  const events = subscribe(url, EVENTS, { storageId: id });
  try {
    const { syncStorage } = await gql(url, SYNC, { id });
    await events.waitFor((e: any) => e.taskEvents.task.id === syncStorage.id && e.taskEvents.task.phase === 'volumes', 120_000);
    process.kill(emu.pid, 'SIGKILL');
    await emu.stop();
    const during = await waitForTask(url, syncStorage.id, 120_000);
    assert.equal(during.status, 'FAILED', JSON.stringify(during));
    assert.equal(during.phase, 'volumes');
    assert.match(during.error, new RegExp(`^the array is unreachable: (cannot reach 127\\.0\\.0\\.1:${emu.port}: connection refused|the connection to 127\\.0\\.0\\.1:${emu.port} failed: .+)$`));
    const ended = (await events.waitFor((e: any) => e.taskEvents.task.id === syncStorage.id && e.taskEvents.type === 'FAILED'))
      .find((e: any) => e.taskEvents.task.id === syncStorage.id && e.taskEvents.type === 'FAILED')!.taskEvents;
    assert.equal(ended.task.storage.status, 'OFFLINE');
  } finally {
    await events.close();
  }
  now = await rows(id);
  assert.equal(now.status, 'OFFLINE');
  assert.deepEqual(now.resources, synced.resources, 'a sync cut off in the middle deletes nothing');

  await emu.restart();
  const again = await sync(id);
  assert.equal(again.status, 'SUCCEEDED', JSON.stringify(again));
  now = await rows(id);
  assert.equal(now.status, 'NORMAL');
  assert.deepEqual(now.resources, synced.resources);
});
