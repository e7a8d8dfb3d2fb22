// The SNIA Swordfish / DMTF Redfish driver (vendor "snia", model "swordfish"): one Storage
// resource of a Redfish service is one storage. See resource-mapping.ts for what becomes what,
// redfish-client.ts for sessions, retries and the request limit, tls-trust.ts for certificates.
import type {
  AccessInfo,
  CounterReading,
  DeviceAlert,
  CounterState,
  DeviceController,
  DeviceDisk,
  DevicePool,
  DevicePort,
  DeviceStorage,
  DeviceVolume,
  DriverCapabilities,
  DriverDescriptor,
  MetricSeries,
  MetricWindow,
  Page,
  ResourceType,
  StorageDriver,
} from '../driver.js';
import { DriverError } from '../driver-error.js';
import { allMembers, memberPages, resolve, resourcePages, type MemberRef } from './collections.js';
import { readCounters, seriesFromReadings, SWORDFISH_METRICS, unknownMetrics } from './io-counters.js';
import { link, RedfishClient, type Json } from './redfish-client.js';
import { inlinePoolsOf, odataId, text, toController, toDisk, toPool, toPort, toVolume } from './resource-mapping.js';
import { storageStatus } from './status-mapping.js';
import { chooseStorage, findStorages } from './storage-discovery.js';
import { parseSwordfishOptions, type SwordfishOptions } from './swordfish-options.js';
import { readLogAlerts } from './event-log.js';

export const SWORDFISH_VENDOR = 'snia';
export const SWORDFISH_MODEL = 'swordfish';

const trim = (p: string) => p.replace(/\/+$/, '');

export class SwordfishDriver implements StorageDriver {
  readonly options: SwordfishOptions;
  readonly client: RedfishClient;
  private readonly where: string;
  private storagePath: Promise<string> | null = null;
  private closed = false;

  constructor(access: AccessInfo) {
    this.options = parseSwordfishOptions(access);
    this.client = new RedfishClient(this.options);
    this.where = `${this.options.host}:${this.options.port}`;
  }

  async getStorage(): Promise<DeviceStorage> {
    const storage = await this.storage();
    const root = await this.client.serviceRoot();
    const pools = await this.listPools();
    const total = pools.reduce((n, p) => n + p.totalCapacity, 0n);
    const used = pools.reduce((n, p) => n + p.usedCapacity, 0n);
    return {
      name: text(storage.Name) ?? text(storage.Id) ?? odataId(storage),
      description: text(storage.Description),
      vendor: text(root.Vendor) ?? 'Unknown',
      model: text(root.Product) ?? 'Swordfish storage',
      serialNumber: this.serialNumber(storage, root),
      firmwareVersion: null,
      location: null,
      status: storageStatus(storage),
      totalCapacity: total,
      usedCapacity: used,
      freeCapacity: total > used ? total - used : 0n,
      rawCapacity: null,
      subscribedCapacity: pools.some((p) => p.subscribedCapacity != null) ? pools.reduce((n, p) => n + (p.subscribedCapacity ?? 0n), 0n) : null,
    };
  }

  async listPools(): Promise<DevicePool[]> {
    const path = await this.childPath('StoragePools');
    return (await allMembers(this.client, path)).map(toPool);
  }

  async *listVolumes(): AsyncGenerator<Page<DeviceVolume>> {
    const path = await this.childPath('Volumes');
    yield* resourcePages(this.client, [path], this.options.pageSize, async (r) => toVolume(r, await this.poolOf(r)));
  }

  /** The Storage's `Drives`: a list of links (Redfish Storage) or a collection (older StorageService). */
  async *listDisks(): AsyncGenerator<Page<DeviceDisk>> {
    yield* resourcePages(this.client, await this.driveSources(), this.options.pageSize, toDisk);
  }

  async *listControllers(): AsyncGenerator<Page<DeviceController>> {
    yield* resourcePages(this.client, await this.controllerSources(), this.options.pageSize, toController);
  }

  /**
   * The ports of every controller, a page of ports at a time: its `Ports` link, else its own
   * path + /Ports (an absent collection is empty). Controllers embedded in the Storage ("#" in
   * their id) have no ports of their own.
   */
  listPorts(): AsyncGenerator<Page<DevicePort>> {
    return this.portPages(toPort);
  }

  private async *portPages<T>(map: (port: Json, controllerId: string) => T | Promise<T>): AsyncGenerator<Page<T>> {
    let yielded = false;
    for (const source of await this.controllerSources()) {
      const pages = typeof source === 'string' ? memberPages(this.client, source) : single(source);
      for await (const { members } of pages) {
        for (const controller of await resolve(this.client, members)) {
          const controllerId = odataId(controller);
          const ports = link(controller, 'Ports') ?? (controllerId.includes('#') ? null : `${trim(controllerId)}/Ports`);
          if (!ports) continue;
          for await (const page of resourcePages(this.client, [ports], this.options.pageSize, (r) => map(r, controllerId))) {
            if (page.items.length === 0) continue;
            yield page;
            yielded = true;
          }
        }
      }
    }
    if (!yielded) yield { items: [] };
  }

  /** Reads IOStatistics now; rates against `counters.previous` (see CounterState in driver.ts). */
  async collectPerfMetrics(resourceType: ResourceType, metrics: string[], _window: MetricWindow, counters?: CounterState): Promise<MetricSeries[]> {
    const unknown = unknownMetrics(metrics);
    if (unknown.length > 0) throw new DriverError(`snia/swordfish does not collect metric(s) ${unknown.join(', ')}`, 'metrics');
    if (!counters) {
      throw new DriverError('snia/swordfish reports cumulative counters: the caller must pass the previous reading (counters) to get rates', 'metrics');
    }
    const current = await this.readings(resourceType);
    const { series, resets } = seriesFromReadings(counters.previous, current, metrics);
    counters.current = current;
    counters.resets = resets;
    return series;
  }

  /** The entries of the service's logs (see event-log.ts); nothing clears them one by one. */
  async listAlerts(): Promise<DeviceAlert[]> {
    if (this.closed) throw new DriverError('driver is closed');
    return readLogAlerts(this.client);
  }

  async capabilities(): Promise<DriverCapabilities> {
    const specs = () => SWORDFISH_METRICS.map((m) => ({ ...m }));
    return {
      metrics: { STORAGE: specs(), STORAGE_POOL: specs(), VOLUME: specs(), DISK: specs(), CONTROLLER: specs(), PORT: specs() },
      cumulativeCounters: true,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /** The chosen Storage resource, read fresh; which one it is is decided once per instance. */
  private async storage(): Promise<Json> {
    if (this.closed) throw new DriverError('driver is closed');
    if (!this.storagePath) {
      this.storagePath = findStorages(this.client).then((all) => odataId(chooseStorage(all, this.options.storage, this.where)));
      this.storagePath.catch(() => (this.storagePath = null));
      const path = await this.storagePath;
      return this.client.get(path);
    }
    return this.client.get(await this.storagePath);
  }

  private async childPath(property: string): Promise<string> {
    const storage = await this.storage();
    return link(storage, property) ?? `${trim(odataId(storage))}/${property}`;
  }

  private async driveSources(): Promise<Array<string | MemberRef[]>> {
    const storage = await this.storage();
    const collection = link(storage, 'Drives');
    return Array.isArray(storage.Drives) ? [storage.Drives as MemberRef[]] : collection ? [collection] : [];
  }

  private async controllerSources(): Promise<Array<string | MemberRef[]>> {
    const storage = await this.storage();
    const controllers = link(storage, 'Controllers');
    if (controllers) return [controllers];
    return Array.isArray(storage.StorageControllers) ? [storage.StorageControllers as MemberRef[]] : [];
  }

  /** SerialNumber, else a durable identifier, else the service UUID with the Storage's @odata.id. */
  private serialNumber(storage: Json, root: Json): string {
    const serial = text(storage.SerialNumber);
    if (serial) return serial;
    const ids = Array.isArray(storage.Identifiers) ? (storage.Identifiers as Json[]) : [];
    const durable = ids.map((i) => text(i?.DurableName)).find((d) => d !== null);
    if (durable) return durable;
    const uuid = text(root.UUID);
    if (!uuid) throw new DriverError(`${this.where}: the Storage ${odataId(storage)} has no serial number, durable name or service UUID to identify it`);
    return `${uuid}:${odataId(storage)}`;
  }

  /** The pool a volume takes its capacity from: named inline, else read from the ProvidingPools link. */
  private async poolOf(volume: Json): Promise<string | null> {
    const { pools, links } = inlinePoolsOf(volume);
    if (pools[0]) return pools[0];
    for (const path of links) {
      for await (const { members } of memberPages(this.client, path)) {
        const id = members[0]?.['@odata.id'];
        if (typeof id === 'string') return id;
      }
    }
    return null;
  }

  private async readings(resourceType: ResourceType): Promise<CounterReading[]> {
    const out: CounterReading[] = [];
    const add = (id: string, r: Json) => {
      const reading = readCounters(resourceType, id, r, Date.now());
      if (reading) out.push(reading);
    };
    if (resourceType === 'STORAGE') {
      const storage = await this.storage();
      add(this.serialNumber(storage, await this.client.serviceRoot()), storage);
    } else if (resourceType === 'STORAGE_POOL') {
      for (const pool of await allMembers(this.client, await this.childPath('StoragePools'))) add(odataId(pool), pool);
    } else if (resourceType === 'VOLUME') {
      for await (const { members } of memberPages(this.client, await this.childPath('Volumes'))) {
        for (let i = 0; i < members.length; i += this.options.pageSize) {
          for (const volume of await resolve(this.client, members.slice(i, i + this.options.pageSize))) add(odataId(volume), volume);
        }
      }
    } else {
      for await (const page of await this.hardwareReadings(resourceType)) for (const reading of page.items) if (reading) out.push(reading);
    }
    return out;
  }

  /** Pages of the counters of the drives, the controllers or the ports (null: a resource without). */
  private async hardwareReadings(resourceType: ResourceType): Promise<AsyncIterable<Page<CounterReading | null>>> {
    const read = (r: Json) => this.hardwareReading(resourceType, r);
    switch (resourceType) {
      case 'DISK':
        return resourcePages(this.client, await this.driveSources(), this.options.pageSize, read);
      case 'CONTROLLER':
        return resourcePages(this.client, await this.controllerSources(), this.options.pageSize, read);
      case 'PORT':
        return this.portPages(read);
      default:
        throw new DriverError(`snia/swordfish has no performance counters for ${String(resourceType)}`, 'metrics');
    }
  }

  /**
   * A drive's, controller's or port's counters: its own IOStatistics, else those of the
   * resource its `Metrics` link names (DriveMetrics, PortMetrics, ...), else none.
   */
  private async hardwareReading(resourceType: ResourceType, r: Json): Promise<CounterReading | null> {
    const own = readCounters(resourceType, odataId(r), r, Date.now());
    if (own) return own;
    const metrics = link(r, 'Metrics');
    if (!metrics) return null;
    const target = await this.client.getOptional(metrics);
    return target ? readCounters(resourceType, odataId(r), target, Date.now()) : null;
  }
}

async function* single(refs: MemberRef[]): AsyncGenerator<{ members: MemberRef[]; last: boolean }> {
  yield { members: refs, last: true };
}

export const swordfishDriverDescriptor: DriverDescriptor = {
  vendor: SWORDFISH_VENDOR,
  model: SWORDFISH_MODEL,
  create: (access) => new SwordfishDriver(access),
  description: 'Arrays that speak SNIA Swordfish / DMTF Redfish over HTTPS (REST access; TLS verified unless told otherwise).',
  accessTypes: ['REST'],
  resources: ['STORAGE', 'STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT'],
};



