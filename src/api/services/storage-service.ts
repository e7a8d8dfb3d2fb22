// Storages: register (validate through the driver, refuse duplicates, seal credentials, start
// the first sync), read, and request syncs. Resolvers call this; it calls the task enqueuer.
import { STORAGE_SHAPE, refuse, resourceProblem } from '../../tasks/kinds/sync/device-checks.js';
import { decryptAccess } from '../../tasks/runtime/open-device.js';
import type { TaskPriority } from '../../db/entities/enums.js';
import type { Sql } from '../../db/sql.js';
import type { SecretBox } from '../../db/secrets.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import type { DeviceStorage } from '../../drivers/driver.js';
import { withTimeouts } from '../../drivers/timeouts.js';
import { badInput, conflict, notFound, unavailable } from '../../errors.js';
import { isId, newId } from '../../lib/ids.js';
import type { TaskEnqueuer } from '../../tasks/queueing/enqueue.js';
import { queueSyncs, requestSync } from '../../tasks/queueing/request-sync.js';
import type { ScheduleService } from './schedule-service.js';
import type { MetricsConfigService } from './metrics-config-service.js';
import { findNotStarted, type TaskRow } from '../../db/stores/task-store.js';
import {
  deleteStorage, findIdBySerial, getStorage, idsNotDeleting, insertStorage, listStorages, markDeleting, type StorageView,
} from '../../db/stores/storage-store.js';
import { getAccessInfos, insertAccessInfo, replaceAccessInfo } from '../../db/stores/access-info-store.js';
import type { AccessInfoInput, RegisterStorageInput, RestAccessInput, SshAccessInput, StorageFilter, SyncOptions } from '../types/inputs.js';
import { checkAccessInput, toDriverAccess, toStoredEndpoint, type AccessInput } from './access-input.js';
import { driverFailure } from './driver-failure.js';
import { storageCapabilities, type Capabilities } from './storage-capabilities.js';
import { countedDriver } from '../../exporters/driver-call-counts.js';
import type { CounterBuffer } from '../../db/counter-buffer.js';
import { pageRequest, toConnection } from './paging.js';

export interface StorageServiceDeps {
  sql: Sql;
  box: SecretBox;
  registry: DriverRegistry;
  enqueuer: TaskEnqueuer;
  schedules: ScheduleService;
  metrics: MetricsConfigService;
  driverTimeoutMs: number;
  /** Where driver calls are counted (delfin_driver_call_*). */
  counters?: CounterBuffer;
}

export class StorageService {
  constructor(private readonly deps: StorageServiceDeps) {}

  async get(id: string): Promise<StorageView | null> {
    return isId(id) ? ((await getStorage(this.deps.sql.q, id)) ?? null) : null;
  }

  async mustGet(id: string): Promise<StorageView> {
    const storage = await this.get(id);
    if (!storage) throw notFound('storage', id);
    return storage;
  }

  async list(first?: number | null, after?: string | null, filter?: StorageFilter | null) {
    const page = pageRequest(first, after);
    const { rows, count } = await listStorages(this.deps.sql.q, filter ?? {}, page);
    return toConnection(rows, page.limit, count);
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
      driver = countedDriver(withTimeouts(descriptor.create(toDriverAccess(access)), this.deps.driverTimeoutMs), this.deps.counters, vendor, model);
      const device = await driver.getStorage();
      refuse('storage', resourceProblem(STORAGE_SHAPE, device)); // a malformed answer is never stored
      return device;
    } catch (err) {
      throw driverFailure(err);
    } finally {
      await driver?.close().catch(() => undefined);
    }
  }

  async register(input: RegisterStorageInput): Promise<StorageView> {
    const device = await this.probe(input.vendor, input.model, input);
    await this.refuseDuplicate(device.serialNumber);
    const id = newId();
    const { sql, box, enqueuer } = this.deps;
    let task: TaskRow;
    try {
      task = await sql.tx(async (q) => {
        const name = input.name ?? device.name;
        await insertStorage(q, { id, name, description: input.description ?? device.description ?? null, vendor: input.vendor, model: input.model }, device);
        await insertAccessInfo(q, id, {
          rest: toStoredEndpoint(box, input.rest),
          ssh: toStoredEndpoint(box, input.ssh),
          extraAttributes: input.extraAttributes ?? null,
        });
        // The policy's default schedule and metrics-config, in the same transaction.
        await this.deps.schedules.applyDefault(q, id);
        await this.deps.metrics.applyDefaults(q, id);
        return (await enqueuer.insert(q, { kind: 'SYNC_RESOURCES', storageId: id, priority: 'NORMAL', message: 'first sync after registration' })).task;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') await this.refuseDuplicate(device.serialNumber);
      throw err;
    }
    await enqueuer.publish(task, (q) => deleteStorage(q, id));
    // Registration never waits on the scheduler: its jobs are made behind the answer.
    await this.deps.schedules.changed([id], { wait: false });
    return this.mustGet(id);
  }

  private async refuseDuplicate(serialNumber: string): Promise<void> {
    const existing = await findIdBySerial(this.deps.sql.q, serialNumber);
    if (existing) {
      throw conflict(`A storage with serial number ${serialNumber} is already registered (id ${existing}).`, { storageId: existing });
    }
  }

  /**
   * Replaces the access info parts given (the others stay), after checking through the driver
   * that the device behind them is the same array: a different serial number is a CONFLICT.
   */
  async updateAccessInfo(id: string, input: AccessInfoInput): Promise<StorageView> {
    const storage = await this.mustGet(id);
    if (storage.deleting) throw conflict(`The storage ${id} is being deleted; its access info cannot change.`);
    const [stored] = await getAccessInfos(this.deps.sql.q, [id]);
    if (!stored) throw notFound('storage', id);
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
    await replaceAccessInfo(this.deps.sql.q, id, {
      rest: toStoredEndpoint(this.deps.box, merged.rest),
      ssh: toStoredEndpoint(this.deps.box, merged.ssh),
      extraAttributes: merged.extraAttributes ?? null,
    });
    return this.mustGet(id);
  }

  /**
   * Queues a sync now, or returns the sync already queued or running for the storage (rule 2).
   * With a runAt still to come: a SCHEDULED task, queued by the scheduler at that time.
   */
  async sync(id: string, options?: SyncOptions | null): Promise<TaskRow> {
    const storage = await this.mustGet(id);
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
    const ids = await idsNotDeleting(sql.q);
    if (isLater(options?.runAt)) return this.deps.schedules.scheduleSyncs(ids, priority, options!.runAt!);
    const { created, existing, refused } = await queueSyncs(sql, enqueuer, ids, priority);
    if (refused.length > 0) {
      const all = created.length + refused.length;
      throw unavailable(`The task bus (NATS JetStream) refused ${refused.length} of ${all} syncs; those were not queued, try again.`);
    }
    return [...created, ...existing].sort((a, b) => a.storageId.localeCompare(b.storageId));
  }

  /**
   * Delete wins over sync (rule 4): the storage is marked, its queued tasks are cancelled, a
   * running sync stops at its next step, and a REMOVE_STORAGE task (HIGH) removes everything.
   */
  async delete(id: string): Promise<TaskRow> {
    await this.mustGet(id);
    const { sql, enqueuer } = this.deps;
    const { task, created } = await sql.tx(async (q) => {
      await markDeleting(q, id);
      return enqueuer.insert(q, { kind: 'REMOVE_STORAGE', storageId: id, priority: 'HIGH', message: 'removing the storage' });
    });
    if (!created) return task;
    await enqueuer.publish(task, (q) => markDeleting(q, id, false));
    await this.cancelOpenWork(id);
    return task;
  }

  /**
   * Queued tasks of a storage being deleted never run. Running ones need no request: they see
   * the storage being deleted at their next step and stop saying so.
   */
  private async cancelOpenWork(storageId: string): Promise<void> {
    const { sql, enqueuer } = this.deps;
    for (const id of await findNotStarted(sql.q, storageId)) {
      const ended = await enqueuer.cancelQueued(id, 'the storage is being deleted');
      if (ended) enqueuer.announce('CANCELLED', ended);
    }
    // Its periodic sync, delayed syncs and performance polling: no job of it is left in the scheduler.
    await this.deps.schedules.removeStorage(storageId);
  }

  private async enqueueSync(storage: StorageView, priority: TaskPriority): Promise<TaskRow> {
    return (await requestSync(this.deps.sql, this.deps.enqueuer, storage.id, priority)).task;
  }
}

/** A runAt still to come (a second of slack: "now" sent by a client is already past when it arrives). */
const isLater = (runAt?: Date | null): boolean => !!runAt && runAt.getTime() > Date.now() + 1000;

