// Storages: register (validate through the driver, refuse duplicates, seal credentials, start
// the first sync), read, and request syncs. Resolvers call this; it calls the task enqueuer.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessInfo as AccessInfoEntity, Storage as StorageEntity } from '../../db/entities/index.js';
import { decryptAccess } from '../../tasks/open-device.js';
import { DEVICE_STATE_COLUMNS, deviceState } from '../../tasks/sync/storage-sync.js';
import type { TaskPriority } from '../../db/entities/enums.js';
import type { Queryable, Sql } from '../../db/sql.js';
import type { SecretBox } from '../../db/secrets.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import type { DeviceStorage } from '../../drivers/driver.js';
import { withTimeouts } from '../../drivers/timeouts.js';
import { badInput, conflict, notFound, unavailable } from '../../errors.js';
import { isId, newId } from '../../lib/ids.js';
import type { TaskEnqueuer } from '../../tasks/enqueue.js';
import { requestSync } from '../../tasks/request-sync.js';
import type { ScheduleService } from './schedule-service.js';
import type { MetricsConfigService } from './metrics-config-service.js';
import { insertSyncs, type TaskRow } from '../../tasks/task-store.js';
import type { AccessInfoInput, RegisterStorageInput, RestAccessInput, SshAccessInput, StorageFilter, SyncOptions } from '../types/inputs.js';
import { checkAccessInput, toDriverAccess, toStoredEndpoint, type AccessInput } from './access-input.js';
import { driverFailure } from './driver-failure.js';
import { storageCapabilities, type Capabilities } from './storage-capabilities.js';
import { pageRequest, toConnection } from './paging.js';

export interface StorageServiceDeps {
  sql: Sql;
  box: SecretBox;
  registry: DriverRegistry;
  enqueuer: TaskEnqueuer;
  schedules: ScheduleService;
  metrics: MetricsConfigService;
  driverTimeoutMs: number;
}

export class StorageService {
  constructor(private readonly deps: StorageServiceDeps) {}

  async get(em: EntityManager, id: string): Promise<StorageEntity | null> {
    return isId(id) ? em.findOne(StorageEntity, { id }) : null;
  }

  async mustGet(em: EntityManager, id: string): Promise<StorageEntity> {
    const storage = await this.get(em, id);
    if (!storage) throw notFound('storage', id);
    return storage;
  }

  async list(em: EntityManager, first?: number | null, after?: string | null, filter?: StorageFilter | null) {
    const page = pageRequest(first, after);
    const where: Record<string, unknown> = {};
    if (filter?.vendor) where.vendor = filter.vendor;
    if (filter?.model) where.model = filter.model;
    if (filter?.status) where.status = filter.status;
    if (filter?.syncState) where.syncState = filter.syncState;
    if (filter?.nameContains) where.name = { $ilike: `%${escapeLike(filter.nameContains)}%` };
    const [rows, total] = await Promise.all([
      em.find(StorageEntity, page.afterId ? { ...where, id: { $gt: page.afterId } } : where, {
        orderBy: { id: 'ASC' },
        limit: page.limit + 1,
      }),
      em.count(StorageEntity, where),
    ]);
    return toConnection(rows, page.limit, total);
  }

  /** What the storage's driver can do for this array, asked of the driver. */
  capabilities(id: string): Promise<Capabilities> {
    return storageCapabilities(this.deps, id);
  }

  /** Reads the device through its driver: the check that the access info works. */
  async probe(vendor: string, model: string, access: AccessInput): Promise<DeviceStorage> {
    checkAccessInput(access);
    const descriptor = this.deps.registry.find(vendor, model);
    if (!descriptor) {
      const known = this.deps.registry.list().map((d) => `${d.vendor}/${d.model}`).join(', ');
      throw badInput(`No driver is installed for vendor "${vendor}" model "${model}" (installed: ${known}).`, 'vendor');
    }
    let driver;
    try {
      driver = withTimeouts(descriptor.create(toDriverAccess(access)), this.deps.driverTimeoutMs);
      return await driver.getStorage();
    } catch (err) {
      throw driverFailure(err);
    } finally {
      await driver?.close().catch(() => undefined);
    }
  }

  async register(em: EntityManager, input: RegisterStorageInput): Promise<StorageEntity> {
    const device = await this.probe(input.vendor, input.model, input);
    await this.refuseDuplicate(device.serialNumber);
    const id = newId();
    const { sql, box, enqueuer } = this.deps;
    let task: TaskRow;
    try {
      task = await sql.tx(async (q) => {
        await insertStorage(q, id, input, device);
        await q.query(
          'insert into access_info (storage_id, rest, ssh, extra_attributes) values ($1, $2, $3, $4)',
          [id, json(toStoredEndpoint(box, input.rest)), json(toStoredEndpoint(box, input.ssh)), json(input.extraAttributes ?? null)],
        );
        // The policy's default schedule and metrics-config, in the same transaction.
        await this.deps.schedules.applyDefault(q, id);
        await this.deps.metrics.applyDefaults(q, id);
        return (await enqueuer.insert(q, { kind: 'SYNC_RESOURCES', storageId: id, priority: 'NORMAL', message: 'first sync after registration' })).task;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') await this.refuseDuplicate(device.serialNumber);
      throw err;
    }
    await enqueuer.publish(task, async (q) => {
      await q.query('delete from storage where id = $1', [id]);
    });
    // Registration never waits on the scheduler: its jobs are made behind the answer.
    await this.deps.schedules.changed([id], { wait: false });
    return this.mustGet(em, id);
  }

  private async refuseDuplicate(serialNumber: string): Promise<void> {
    const rows = await this.deps.sql.query('select id from storage where serial_number = $1', [serialNumber]);
    if (rows[0]) {
      throw conflict(`A storage with serial number ${serialNumber} is already registered (id ${rows[0].id}).`, {
        storageId: rows[0].id,
      });
    }
  }

  /**
   * Replaces the access info parts given (the others stay), after checking through the driver
   * that the device behind them is the same array: a different serial number is a CONFLICT.
   */
  async updateAccessInfo(em: EntityManager, id: string, input: AccessInfoInput): Promise<StorageEntity> {
    const storage = await this.mustGet(em, id);
    if (storage.deleting) throw conflict(`The storage ${id} is being deleted; its access info cannot change.`);
    const stored = await em.findOneOrFail(AccessInfoEntity, { storageId: id });
    const current = decryptAccess(this.deps.box, stored);
    const merged: AccessInput = {
      rest: input.rest ?? (current.rest as RestAccessInput | null),
      ssh: input.ssh ?? (current.ssh as SshAccessInput | null),
      extraAttributes: input.extraAttributes !== undefined ? input.extraAttributes : current.extraAttributes,
    };
    const device = await this.probe(storage.vendor, storage.model, merged);
    if (device.serialNumber !== storage.serialNumber) {
      throw conflict(
        `The device behind this access info has serial number ${device.serialNumber}, but the storage is ${storage.serialNumber}; register it as a new storage instead.`,
        { serialNumber: device.serialNumber },
      );
    }
    await this.deps.sql.query(
      'update access_info set rest = $2, ssh = $3, extra_attributes = $4, updated_at = now() where storage_id = $1',
      [id, json(toStoredEndpoint(this.deps.box, merged.rest)), json(toStoredEndpoint(this.deps.box, merged.ssh)), json(merged.extraAttributes ?? null)],
    );
    em.clear();
    return this.mustGet(em, id);
  }

  /**
   * Queues a sync now, or returns the sync already queued or running for the storage (rule 2).
   * With a runAt still to come: a SCHEDULED task, queued by the scheduler at that time.
   */
  async sync(em: EntityManager, id: string, options?: SyncOptions | null): Promise<TaskRow> {
    const storage = await this.mustGet(em, id);
    if (storage.deleting) throw conflict(`The storage ${id} is being deleted; it cannot be synced.`);
    const priority = options?.priority ?? 'NORMAL';
    if (isLater(options?.runAt)) return this.deps.schedules.scheduleSync(storage.id, priority, options!.runAt!);
    return this.enqueueSync(storage, priority);
  }

  /**
   * One sync per storage, queued at once (storages with a sync queued or running get that task
   * back). Returns without waiting for any of them: workers spread the work. With a runAt still
   * to come: one SCHEDULED task per storage.
   */
  async syncAll(options?: SyncOptions | null): Promise<TaskRow[]> {
    const priority = options?.priority ?? 'NORMAL';
    const { sql, enqueuer } = this.deps;
    const ids = (await sql.query(`select id from storage where not deleting order by id`)).map((r) => r.id as string);
    if (isLater(options?.runAt)) return this.deps.schedules.scheduleSyncs(ids, priority, options!.runAt!);
    const { created, existing } = await sql.tx(async (q) => {
      const r = await insertSyncs(q, ids, priority);
      await q.query(`update storage set sync_state = 'SYNCING', updated_at = now() where id = any($1::uuid[])`, [r.created.map((t) => t.storageId)]);
      return r;
    });
    const refused = await enqueuer.publishMany(created, async (q, failed) => {
      await q.query(
        `update storage set sync_state = case when last_synced_at is null then 'NEVER_SYNCED' else 'SYNCED' end
         where id = any($1::uuid[])`,
        [failed.map((t) => t.storageId)],
      );
    });
    if (refused.length > 0) {
      throw unavailable(`The task bus (NATS JetStream) refused ${refused.length} of ${created.length} syncs; those were not queued, try again.`);
    }
    return [...created, ...existing].sort((a, b) => a.storageId.localeCompare(b.storageId));
  }

  /**
   * Delete wins over sync (rule 4): the storage is marked, its queued tasks are cancelled, a
   * running sync stops at its next step, and a REMOVE_STORAGE task (HIGH) removes everything.
   */
  async delete(em: EntityManager, id: string): Promise<TaskRow> {
    await this.mustGet(em, id);
    const { sql, enqueuer } = this.deps;
    const { task, created } = await sql.tx(async (q) => {
      await q.query('update storage set deleting = true, updated_at = now() where id = $1', [id]);
      return enqueuer.insert(q, { kind: 'REMOVE_STORAGE', storageId: id, priority: 'HIGH', message: 'removing the storage' });
    });
    if (!created) return task;
    await enqueuer.publish(task, async (q) => {
      await q.query('update storage set deleting = false where id = $1', [id]);
    });
    await this.cancelOpenWork(id);
    return task;
  }

  /**
   * Queued tasks of a storage being deleted never run. Running ones need no request: they see
   * the storage being deleted at their next step and stop saying so.
   */
  private async cancelOpenWork(storageId: string): Promise<void> {
    const { sql, enqueuer } = this.deps;
    const queued = await sql.query(
      `select id, status from task where storage_id = $1 and kind <> 'REMOVE_STORAGE' and status in ('SCHEDULED', 'QUEUED')`,
      [storageId],
    );
    for (const t of queued) {
      const ended = await enqueuer.cancelQueued(sql.q, t.id as string, 'the storage is being deleted');
      if (ended) enqueuer.announce('CANCELLED', ended);
    }
    // Its periodic sync, delayed syncs and performance polling: no job of it is left in the scheduler.
    await this.deps.schedules.removeStorage(storageId);
  }

  private async enqueueSync(storage: StorageEntity, priority: TaskPriority): Promise<TaskRow> {
    return (await requestSync(this.deps.sql, this.deps.enqueuer, storage.id, priority)).task;
  }
}

async function insertStorage(q: Queryable, id: string, input: RegisterStorageInput, d: DeviceStorage): Promise<void> {
  const columns = ['id', 'name', 'description', 'vendor', 'model', 'serial_number', ...DEVICE_STATE_COLUMNS];
  const values = [id, input.name ?? d.name, input.description ?? d.description ?? null, input.vendor, input.model, d.serialNumber, ...deviceState(d)];
  await q.query(
    `insert into storage (sync_state, ${columns.join(', ')}) values ('SYNCING', ${values.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  );
}

/** A runAt still to come (a second of slack: "now" sent by a client is already past when it arrives). */
const isLater = (runAt?: Date | null): boolean => !!runAt && runAt.getTime() > Date.now() + 1000;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
