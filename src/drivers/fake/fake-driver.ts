// The `fake_storage`/`fake_driver` simulator: a deterministic array sized by extraAttributes,
// able to inject latency, failures, hangs and churn. See fake-device.ts for what it contains.
import type {
  AccessInfo,
  DeviceAlert,
  DeviceStorage,
  DevicePool,
  DeviceVolume,
  DeviceController,
  DeviceDisk,
  DevicePort,
  DriverCapabilities,
  DriverDescriptor,
  MetricSeries,
  MetricWindow,
  Page,
  ResourceType,
  StorageDriver,
} from '../driver.js';
import { DriverError, UnreachableError } from '../driver-error.js';
import { parseFakeOptions, type FakeOptions, type FakePhase } from './fake-options.js';
import {
  FAKE_MODEL,
  FAKE_VENDOR,
  type FakeDevice,
  fakeDevice,
  poolNativeId,
  poolsOf,
  serialNumberOf,
  storageOf,
} from './fake-device.js';
import { countVolumes, volumesAt } from './fake-churn.js';
import { controllersOf, disksAt, portsAt } from './fake-hardware.js';
import { FAKE_METRICS, assertKnownMetrics, seriesFor } from './fake-metrics.js';
import { parseFakeTrap } from './fake-traps.js';
import { clearFakeAlert, currentFakeAlerts } from './fake-alerts.js';

type CallPhase = Exclude<FakePhase, 'connect'> | 'capabilities' | 'close';

// A promise that never settles and holds no timer: a hung call that does not, by itself,
// keep the process alive (the caller's timeout does, until it fires).
const NEVER = new Promise<never>(() => undefined);

const INJECTED: Record<Exclude<FakePhase, 'connect'>, string> = {
  storage: 'reading the storage system',
  pools: 'listing storage pools',
  disks: 'listing disks',
  controllers: 'listing controllers',
  ports: 'listing ports',
  volumes: 'listing volumes',
  metrics: 'collecting performance metrics',
  alerts: 'reading or clearing alerts',
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Takes up to `n` items from a running iterator. */
function take<T>(source: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  while (out.length < n) {
    const next = source.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

export class FakeDriver implements StorageDriver {
  readonly options: FakeOptions;
  private readonly device: FakeDevice;
  private closed = false;
  private metricsCalls = 0;
  /** Set once the injected outage began (unreachableAt): every call from then on fails. */
  private outage = false;

  constructor(access: AccessInfo) {
    this.options = parseFakeOptions(access);
    this.device = fakeDevice(this.options);
  }

  async getStorage(): Promise<DeviceStorage> {
    await this.enter('storage');
    return storageOf(this.device);
  }

  async listPools(): Promise<DevicePool[]> {
    await this.enter('pools');
    return poolsOf(this.device);
  }

  /** Pages of `pageSize` volumes; an empty device yields one empty page (so `total` is seen). */
  async *listVolumes(): AsyncGenerator<Page<DeviceVolume>> {
    const { pageSize, failAfterVolumes } = this.options;
    await this.enter('volumes');
    const total = countVolumes(this.options);
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const source = volumesAt(this.device, this.options.revision);
    let yielded = 0;
    for (let page = 0; page < pages; page++) {
      if (page > 0) await this.enter('volumes');
      this.failIfPast(failAfterVolumes, yielded);
      const items = take(source, pageSize);
      yield { items, total };
      yielded += items.length;
    }
    this.failIfPast(failAfterVolumes, yielded);
  }

  /** Pages of `pageSize` disks (see fake-hardware.ts for what they are and how they churn). */
  listDisks(): AsyncGenerator<Page<DeviceDisk>> {
    return this.pagesOf('disks', () => [...disksAt(this.device, this.options.revision)]);
  }

  listControllers(): AsyncGenerator<Page<DeviceController>> {
    return this.pagesOf('controllers', () => controllersOf(this.device));
  }

  listPorts(): AsyncGenerator<Page<DevicePort>> {
    return this.pagesOf('ports', () => portsAt(this.device, this.options.revision));
  }

  async collectPerfMetrics(resourceType: ResourceType, metrics: string[], window: MetricWindow): Promise<MetricSeries[]> {
    await this.enter('metrics');
    if (this.metricsCalls++ < this.options.metricsFailures) {
      throw new DriverError(`fake storage did not answer performance call ${this.metricsCalls} (injected failure)`, 'metrics');
    }
    assertKnownMetrics(metrics);
    return seriesFor(this.device, resourceType, this.resourceIds(resourceType), metrics, window, this.options.metricStepSeconds * 1000);
  }

  async capabilities(): Promise<DriverCapabilities> {
    await this.enter('capabilities');
    const specs = () => FAKE_METRICS.map((m) => ({ ...m }));
    return { metrics: { STORAGE: specs(), STORAGE_POOL: specs(), VOLUME: specs(), DISK: specs(), CONTROLLER: specs(), PORT: specs() } };
  }

  /** The alerts extraAttributes.alerts lists, less those cleared through clearAlert. */
  async listAlerts(): Promise<DeviceAlert[]> {
    await this.enter('alerts');
    return currentFakeAlerts(serialNumberOf(this.options), this.options.alerts);
  }

  async clearAlert(sequenceNumber: string): Promise<void> {
    await this.enter('alerts');
    clearFakeAlert(serialNumberOf(this.options), sequenceNumber);
  }

  /** Always resolves (after the configured latency); later calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
  }

  /** Every call starts here: closed check, latency, then the injected hang or failure. */
  private async enter(phase: CallPhase): Promise<void> {
    this.assertOpen(phase);
    const { latencyMs, hangAt, failAt, host, port } = this.options;
    if (latencyMs > 0) {
      await sleep(latencyMs);
      this.assertOpen(phase);
    }
    if (hangAt === 'connect' || hangAt === phase) await NEVER;
    if (failAt === 'connect') {
      throw new UnreachableError(`cannot reach fake storage at ${host}:${port}: connection refused`, 'connect');
    }
    this.failIfOut(phase);
    if (failAt === phase && phase in INJECTED) {
      throw new DriverError(`fake storage failed while ${INJECTED[phase as keyof typeof INJECTED]} (injected failure)`, phase);
    }
  }

  /** A small listing in pages of `pageSize`, each behind the phase's latency and injections; none: one empty page. */
  private async *pagesOf<T>(phase: 'disks' | 'controllers' | 'ports', all: () => T[]): AsyncGenerator<Page<T>> {
    await this.enter(phase);
    const items = all();
    const { pageSize } = this.options;
    for (let start = 0; start === 0 || start < items.length; start += pageSize) {
      if (start > 0) await this.enter(phase);
      yield { items: items.slice(start, start + pageSize), total: items.length };
    }
  }

  /** unreachableAt: from that phase's call on, the array refuses connections (an injected outage). */
  private failIfOut(phase: CallPhase): void {
    const { unreachableAt, host, port } = this.options;
    if (unreachableAt === 'connect' || unreachableAt === phase) this.outage = true;
    if (this.outage) throw new UnreachableError(`cannot reach fake storage at ${host}:${port}: connection refused (injected outage)`, phase);
  }

  private assertOpen(phase: CallPhase): void {
    if (this.closed) throw new DriverError('driver is closed', phase);
  }

  private failIfPast(limit: number | undefined, yielded: number): void {
    if (limit !== undefined && yielded >= limit) {
      throw new DriverError(`fake storage dropped the connection after ${yielded} volumes (injected failure)`, 'volumes');
    }
  }

  private *resourceIds(resourceType: ResourceType): Generator<string> {
    if (resourceType === 'STORAGE') {
      yield serialNumberOf(this.options);
    } else if (resourceType === 'STORAGE_POOL') {
      for (let i = 0; i < this.options.pools; i++) yield poolNativeId(i);
    } else if (resourceType === 'VOLUME') {
      for (const v of volumesAt(this.device, this.options.revision)) yield v.nativeVolumeId;
    } else if (resourceType === 'DISK') {
      for (const d of disksAt(this.device, this.options.revision)) yield d.nativeDiskId;
    } else if (resourceType === 'CONTROLLER') {
      for (const c of controllersOf(this.device)) yield c.nativeControllerId;
    } else if (resourceType === 'PORT') {
      for (const p of portsAt(this.device, this.options.revision)) yield p.nativePortId;
    } else {
      throw new DriverError(`fake_driver has no resource type ${String(resourceType)}`, 'metrics');
    }
  }
}

export const fakeDriverDescriptor: DriverDescriptor = {
  vendor: FAKE_VENDOR,
  model: FAKE_MODEL,
  create: (access) => new FakeDriver(access),
  description: 'The simulator (Delfin\'s test driver): a deterministic array sized by extraAttributes, with injectable latency, failures and churn.',
  accessTypes: ['REST'],
  resources: ['STORAGE', 'STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT'],
  parseAlert: parseFakeTrap,
};
