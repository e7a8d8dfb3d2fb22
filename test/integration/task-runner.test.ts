// The task runtime, driven directly: the real TaskRunner, the real PostgreSQL, the real fake
// driver and NATS for its events; only the JetStream message is a test double (a TaskDelivery
// that records acks and naks), so each rule of a task's life is shown on its own: end states,
// bounded attempts with back-off, hand-back, cancel, a busy storage, and a crash between the
// end's commit and the ack.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { openDatabase } from '../../src/db/database.js';
import { Sql } from '../../src/db/sql.js';
import { SecretBox } from '../../src/db/secrets.js';
import { policySchema } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { busNames } from '../../src/bus/subjects.js';
import { TaskEventPublisher } from '../../src/bus/task-events.js';
import type { TaskDelivery } from '../../src/bus/task-delivery.js';
import type { TaskMessage } from '../../src/bus/task-message.js';
import { createDefaultRegistry } from '../../src/drivers/index.js';
import { deviceOpener } from '../../src/tasks/runtime/open-device.js';
import { TaskRunner } from '../../src/tasks/runtime/task-runner.js';
import { taskFor } from '../../src/tasks/kinds/task-kinds.js';
import { StorageLeases } from '../../src/db/stores/storage-lease.js';
import { insertStorage, markSyncing } from '../../src/db/stores/storage-store.js';
import { insertAccessInfo } from '../../src/db/stores/access-info-store.js';
import { getTask, insertSyncs, requestCancel, type TaskRow } from '../../src/db/stores/task-store.js';
import { newId } from '../../src/lib/ids.js';
import { testEnv } from '../support/env.js';

const MAX_ATTEMPTS = 3;
const t = testEnv('runner');
let sql: Sql;
let nc: NatsConnection;
let runner: TaskRunner;
const box = SecretBox.fromKeyText(randomBytes(32).toString('base64'));
const registry = createDefaultRegistry();

before(async () => {
  await (await openDatabase(t.databaseUrl)).close();
  sql = new Sql(t.databaseUrl);
  nc = await connect({ servers: t.env.NATS_URL });
  const policy = policySchema.parse({ worker: { maxAttempts: MAX_ATTEMPTS, ackWaitSeconds: 5 }, sync: { leaseSeconds: 5 } });
  runner = new TaskRunner({
    sql,
    devices: deviceOpener(sql, box, registry, 5000),
    events: new TaskEventPublisher(nc, busNames(t.namespace)),
    policy,
    logger: createLogger('warn', 'test'),
  }, taskFor);
});

after(async () => {
  await nc?.close();
  await sql?.close();
  await t.cleanup();
});

/** A delivery as JetStream would make it, recording what the runner answers. */
class TestDelivery implements TaskDelivery {
  acks = 0;
  naks: number[] = [];
  terms = 0;
  constructor(
    readonly message: TaskMessage | undefined,
    readonly deliveryCount = 1,
    /** The ack never reaches the bus: the process died right after the end committed. */
    private readonly lostAck = false,
  ) {}
  async ack(): Promise<void> {
    if (this.lostAck) throw new Error('the worker died before its ack');
    this.acks++;
  }
  nak(delayMs = 0): void {
    this.naks.push(delayMs);
  }
  working(): void {}
  term(): void {
    this.terms++;
  }
}

const deliver = (task: TaskRow, count = 1, lostAck = false) => new TestDelivery({ taskId: task.id, kind: task.kind }, count, lostAck);
const never = new AbortController().signal;

/** A registered fake array (the worker's sealing key, unless `sealedWith` says otherwise) with one sync queued. */
async function storageWithSync(attrs: Record<string, unknown>, sealedWith = box): Promise<{ storageId: string; task: TaskRow }> {
  const storageId = newId();
  const host = `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const password = 'p4ssw0rd';
  const driver = registry.find('fake_storage', 'fake_driver')!.create({
    rest: { host, port: 8443, username: 'admin', password },
    ssh: null,
    extraAttributes: attrs,
  });
  const device = await driver.getStorage();
  await driver.close();
  const task = await sql.tx(async (q) => {
    await insertStorage(q, { id: storageId, name: `runner-${host}`, description: null, vendor: 'fake_storage', model: 'fake_driver' }, device);
    await insertAccessInfo(q, storageId, {
      rest: { host, port: 8443, username: 'admin', passwordEncrypted: sealedWith.encrypt(password) },
      ssh: null,
      extraAttributes: attrs,
    });
    const { created } = await insertSyncs(q, [storageId], { priority: 'NORMAL' });
    await markSyncing(q, [storageId]);
    return created[0]!;
  });
  return { storageId, task };
}

async function storageRow(id: string): Promise<{ sync_state: string; last_synced_at: Date | null } | undefined> {
  return (await sql.query<{ sync_state: string; last_synced_at: Date | null }>('select sync_state, last_synced_at from storage where id = $1', [id]))[0];
}

async function runsOf(taskId: string): Promise<Array<{ outcome: string | null }>> {
  return sql.query<{ outcome: string | null }>('select outcome from task_run where task_id = $1 order by id', [taskId]);
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const runningWithProgress = (id: string) => async () => {
  const task = await getTask(sql.q, id);
  return task?.status === 'RUNNING' && task.progress > 0.15;
};

test('a sync ends SUCCEEDED with its storage SYNCED, and the message is acked once', async () => {
  const { storageId, task } = await storageWithSync({ pools: 2, volumes: 300 });
  const delivery = deliver(task);
  await runner.run(delivery, never);
  const ended = await getTask(sql.q, task.id);
  assert.equal(ended?.status, 'SUCCEEDED');
  assert.equal(ended?.attempts, 1);
  assert.equal(ended?.progress, 1);
  assert.equal(ended?.stats?.volumesAdded, 300);
  assert.deepEqual({ acks: delivery.acks, naks: delivery.naks }, { acks: 1, naks: [] });
  assert.equal((await storageRow(storageId))?.sync_state, 'SYNCED');
  assert.deepEqual(await runsOf(task.id), [{ outcome: 'SUCCEEDED' }]);
});

test('a crash between the end and the ack: the storage is already SYNCED, and the redelivery only acks', async () => {
  const { storageId, task } = await storageWithSync({ pools: 1, volumes: 50 });
  await assert.rejects(runner.run(deliver(task, 1, true), never), /died before its ack/);
  const ended = await getTask(sql.q, task.id);
  assert.equal(ended?.status, 'SUCCEEDED');
  const state = await storageRow(storageId);
  assert.equal(state?.sync_state, 'SYNCED', 'the end and the storage state committed together');

  const again = deliver(task, 2);
  await runner.run(again, never);
  assert.equal(again.acks, 1);
  const after = await getTask(sql.q, task.id);
  assert.equal(after?.version, ended?.version, 'the redelivery changed nothing');
  assert.deepEqual(await storageRow(storageId), state);
  assert.equal((await runsOf(task.id)).length, 1, 'the redelivery did not run the task again');
});

test(`a passing failure is retried with back-off, then after ${MAX_ATTEMPTS} attempts the task ends FAILED`, async () => {
  // Sealed under another key: opening the device fails with an error that is not the array's.
  const { storageId, task } = await storageWithSync({ pools: 1, volumes: 10 }, SecretBox.fromKeyText(randomBytes(32).toString('base64')));
  const backoffs: number[] = [];
  for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
    const delivery = deliver(task, attempt);
    await runner.run(delivery, never);
    assert.equal(delivery.acks, 0, `attempt ${attempt} is not the end`);
    backoffs.push(...delivery.naks);
    const row = await getTask(sql.q, task.id);
    assert.equal(row?.status, 'RUNNING');
    assert.equal(row?.attempts, attempt);
    assert.match(row?.error ?? '', /cannot be decrypted/);
  }
  assert.deepEqual(backoffs, [1000, 2000], 'the back-off doubles');
  const last = deliver(task, MAX_ATTEMPTS);
  await runner.run(last, never);
  assert.equal(last.acks, 1);
  const ended = await getTask(sql.q, task.id);
  assert.equal(ended?.status, 'FAILED');
  assert.match(ended?.error ?? '', new RegExp(`^gave up after ${MAX_ATTEMPTS} attempts: .*cannot be decrypted`));
  assert.equal((await storageRow(storageId))?.sync_state, 'FAILED');

  // A delivery past the bound (the bus redelivers without limit) finds the task ended.
  const late = deliver(task, MAX_ATTEMPTS + 1);
  await runner.run(late, never);
  assert.equal(late.acks, 1);
  assert.equal((await getTask(sql.q, task.id))?.version, ended?.version);
});

test('a stopping worker hands the task back: not an attempt, and the next delivery finishes it', async () => {
  const { storageId, task } = await storageWithSync({ pools: 1, volumes: 3000, pageSize: 100, latencyMs: 30 });
  const stopping = new AbortController();
  const first = deliver(task);
  const run = runner.run(first, stopping.signal);
  await waitUntil('the sync to be listing volumes', runningWithProgress(task.id));
  stopping.abort('the worker is stopping');
  await run;
  assert.deepEqual({ acks: first.acks, naks: first.naks }, { acks: 0, naks: [0] }, 'given back at once, not acked');
  const handed = await getTask(sql.q, task.id);
  assert.equal(handed?.status, 'RUNNING');
  assert.equal(handed?.attempts, 0, 'a hand-back is not an attempt');
  assert.match(handed?.message ?? '', /^handed back: the worker is stopping/);
  assert.equal((await sql.query('select 1 from storage_lease where storage_id = $1', [storageId])).length, 0, 'the lease was released');

  const second = deliver(task, 2);
  await runner.run(second, never);
  const ended = await getTask(sql.q, task.id);
  assert.equal(ended?.status, 'SUCCEEDED');
  assert.equal(ended?.attempts, 1);
  assert.equal(ended?.stats?.volumesAdded, 3000, 'the counts stay exact across the hand-back');
  assert.deepEqual((await runsOf(task.id)).map((r) => r.outcome), ['HANDED_BACK', 'SUCCEEDED']);
  assert.equal((await storageRow(storageId))?.sync_state, 'SYNCED');
});

test('a cancel request ends a running sync CANCELLED at its next step; the storage shows its state before', async () => {
  const { storageId, task } = await storageWithSync({ pools: 1, volumes: 3000, pageSize: 100, latencyMs: 30 });
  const delivery = deliver(task);
  const run = runner.run(delivery, never);
  await waitUntil('the sync to be listing volumes', runningWithProgress(task.id));
  assert.ok(await requestCancel(sql.q, task.id));
  await run;
  const ended = await getTask(sql.q, task.id);
  assert.equal(ended?.status, 'CANCELLED');
  assert.equal(ended?.message, 'cancelled by request');
  assert.equal(delivery.acks, 1);
  const state = await storageRow(storageId);
  assert.equal(state?.sync_state, 'NEVER_SYNCED', 'never synced before, and no other sync open');
  assert.equal(state?.last_synced_at, null);
});

test('a storage busy with another task: the delivery comes back later, the task untouched', async () => {
  const { task } = await storageWithSync({ pools: 1, volumes: 10 });
  const leases = new StorageLeases(sql, 30);
  assert.equal((await leases.acquire(task.storageId, 'another-worker')).state, 'acquired');
  const delivery = deliver(task);
  await runner.run(delivery, never);
  assert.deepEqual({ acks: delivery.acks, naks: delivery.naks }, { acks: 0, naks: [1000] });
  const row = await getTask(sql.q, task.id);
  assert.equal(row?.status, 'QUEUED');
  assert.equal(row?.attempts, 0);
  await leases.release(task.storageId, 'another-worker');
});

test('an earlier run of the same task, here, whose release was lost (a database crash), still holds the lease: the retry waits for its expiry', async () => {
  const { task } = await storageWithSync({ pools: 1, volumes: 10 });
  const leases = new StorageLeases(sql, 30);
  // The holder an earlier run of this task on this very worker took (before holders named the run, a retry took it over).
  const earlier = `${task.id}@${runner.instance}`;
  assert.equal((await leases.acquire(task.storageId, earlier)).state, 'acquired');
  const delivery = deliver(task);
  await runner.run(delivery, never);
  assert.deepEqual({ acks: delivery.acks, naks: delivery.naks }, { acks: 0, naks: [1000] });
  assert.equal((await getTask(sql.q, task.id))?.status, 'QUEUED');
  await leases.release(task.storageId, earlier);
});

test('a malformed message is terminated; a message of an unknown task is acked', async () => {
  const malformed = new TestDelivery(undefined);
  await runner.run(malformed, never);
  assert.deepEqual({ acks: malformed.acks, terms: malformed.terms }, { acks: 0, terms: 1 });
  const unknown = new TestDelivery({ taskId: newId(), kind: 'SYNC_RESOURCES' });
  await runner.run(unknown, never);
  assert.deepEqual({ acks: unknown.acks, terms: unknown.terms }, { acks: 1, terms: 0 });
});
