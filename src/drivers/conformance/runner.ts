// Runs every driver call once (but clearAlert, which writes) against a live array, each within its timeout, and checks what
// it returns (./checks.ts). Listings run twice to see that paging is stable. Nothing is written.
import type { AccessInfo, CounterState, DeviceVolume, DriverDescriptor, MetricSeries, MetricWindow, Page, ResourceType, StorageDriver } from '../driver.js';
import {
  alertProblems,
  capabilityProblems,
  inventoryProblems,
  metricProblems,
  pagingProblems,
  poolProblems,
  storageProblems,
  volumeProblems,
  type ListingTrace,
} from './checks.js';
import { INVENTORY_KINDS, inventoryMethod, type InventoryItem, type InventoryKind } from './inventory.js';
import { makeReport, type CheckResult, type ConformanceReport } from './report.js';

export interface ConformanceOptions {
  /** Each call (and each page of a listing) must answer within this many milliseconds. */
  timeoutMs: number;
  /** The performance window asked for; default the last 15 minutes. */
  window?: MetricWindow;
}

class CallTimedOut extends Error {}

/** `work` within `ms`, or a CallTimedOut naming the call; the timer never outlives the call. */
async function within<T>(call: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimedOut(`${call} did not answer within its timeout of ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(work), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function failure(err: unknown, call: string): string {
  if (err instanceof CallTimedOut) return err.message;
  return `${call} failed: ${err instanceof Error ? err.message : String(err)}`;
}

/** Every item of a listing that is an array (a promise of one) or pages, each page within the timeout. */
async function drain<T>(call: string, ms: number, listing: Promise<T[]> | AsyncIterable<Page<T>>): Promise<{ items: T[]; trace: ListingTrace; pages: number }> {
  if (!(Symbol.asyncIterator in Object(listing))) {
    const items = await within(call, ms, () => listing as Promise<T[]>);
    return { items, trace: { ids: [], totals: [] }, pages: 1 };
  }
  const iterator = (listing as AsyncIterable<Page<T>>)[Symbol.asyncIterator]();
  const items: T[] = [];
  const totals: Array<number | undefined> = [];
  for (let page = 1; ; page++) {
    const next = await within(`${call} (page ${page})`, ms, () => iterator.next());
    if (next.done) return { items, trace: { ids: [], totals }, pages: page - 1 };
    items.push(...next.value.items);
    totals.push(next.value.total);
  }
}

class Run {
  readonly checks: CheckResult[] = [];
  constructor(readonly driver: StorageDriver, readonly ms: number) {}

  /** Runs `call`, records its check; returns what it returned, or undefined when it failed. */
  async step<T>(name: string, call: () => Promise<T>, judge: (value: T, ms: number) => { summary: string; problems: string[] }): Promise<T | undefined> {
    const started = performance.now();
    try {
      const value = await call();
      const { summary, problems } = judge(value, Math.round(performance.now() - started));
      this.checks.push({ name, summary, problems });
      return value;
    } catch (err) {
      this.checks.push({ name, summary: 'no answer', problems: [failure(err, name)] });
      return undefined;
    }
  }

  skip(name: string, why: string): void {
    this.checks.push({ name, summary: why, problems: [], skipped: true });
  }
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 || noun.endsWith('s') ? '' : 's'}`;

async function checkVolumes(run: Run, poolIds: Set<string> | undefined): Promise<Set<string> | undefined> {
  const list = () => drain('listVolumes', run.ms, run.driver.listVolumes());
  const first = await run.step('listVolumes', list, ({ items, pages }, ms) => ({
    summary: `${plural(items.length, 'volume')} in ${plural(pages, 'page')}, ${ms} ms`,
    problems: volumeProblems(items, poolIds),
  }));
  if (!first) {
    run.skip('stable paging', 'listVolumes failed');
    return undefined;
  }
  const idsOf = (r: { items: DeviceVolume[]; trace: ListingTrace }) => ({ ids: r.items.map((v) => v.nativeVolumeId), totals: r.trace.totals });
  await run.step('stable paging', list, (second) => ({
    summary: `listed the volumes a second time (${plural(second.items.length, 'volume')}) and compared`,
    problems: pagingProblems('volume', idsOf(first), idsOf(second)),
  }));
  return new Set(first.items.map((v) => v.nativeVolumeId));
}

/** Lists disks, controllers and ports; returns the ids listed per resource type (for the metrics' check). */
async function checkInventory(run: Run): Promise<Partial<Record<ResourceType, Set<string>>>> {
  const ids: Partial<Record<ResourceType, Set<string>>> = {};
  let controllerIds: Set<string> | undefined;
  for (const kind of INVENTORY_KINDS) {
    const method = inventoryMethod(run.driver, kind);
    if (!method) {
      run.skip(kind.call, 'the driver does not list them');
      continue;
    }
    const listed = await run.step(kind.call, () => drain(kind.call, run.ms, method() as Promise<InventoryItem[]> | AsyncIterable<Page<InventoryItem>>), ({ items }, ms) => ({
      summary: `${plural(items.length, kind.noun)} in ${ms} ms`,
      problems: inventoryProblems(kind, items, controllerIds),
    }));
    if (listed) ids[kind.resourceType] = idsOf(kind, listed.items);
    if (listed && kind.call === 'listControllers') controllerIds = ids[kind.resourceType];
  }
  return ids;
}

/** The device's own alerts, when the driver lists them. Never cleared: the kit writes nothing. */
async function checkAlerts(run: Run): Promise<void> {
  const driver = run.driver;
  if (typeof driver.listAlerts !== 'function') return run.skip('listAlerts', 'the driver does not list them');
  await run.step('listAlerts', () => within('listAlerts', run.ms, () => driver.listAlerts!()), (alerts, ms) => ({
    summary: `${plural(alerts?.length ?? 0, 'alert')} in ${ms} ms${typeof driver.clearAlert === 'function' ? ' (clearAlert not called: the kit writes nothing)' : ''}`,
    problems: alertProblems(alerts),
  }));
}

function idsOf(kind: InventoryKind, items: InventoryItem[]): Set<string> {
  return new Set(items.map((i) => String(i[kind.idField])));
}

async function checkMetrics(run: Run, ids: Partial<Record<ResourceType, Set<string>>>, window: MetricWindow): Promise<void> {
  const caps = await run.step('capabilities', () => within('capabilities', run.ms, () => run.driver.capabilities()), (c, ms) => ({
    summary: `metrics for ${Object.keys(c?.metrics ?? {}).join(', ') || 'no resource type'}, ${ms} ms`,
    problems: capabilityProblems(c),
  }));
  if (!caps || capabilityProblems(caps).length) return run.skip('collectPerfMetrics', 'no usable capabilities');
  for (const [type, specs] of Object.entries(caps.metrics) as Array<[ResourceType, { name: string }[]]>) {
    if (!specs.length) continue;
    const metrics = specs.map((m) => m.name);
    const call = `collectPerfMetrics(${type})`;
    const collect = caps.cumulativeCounters ? () => twoReadings(run, call, type, metrics, window) : () => within(call, run.ms, () => run.driver.collectPerfMetrics(type, metrics, window));
    await run.step(call, collect, (series, ms) => ({
      summary: `${plural(series.length, 'series')} in ${ms} ms${caps.cumulativeCounters ? ' (cumulative counters: two readings)' : ''}`,
      // A counter's sample is stamped at its reading, which may be a little after the window asked for.
      problems: metricProblems(series, { metrics, window: caps.cumulativeCounters ? { start: window.start, end: new Date() } : window, resourceIds: ids[type] }),
    }));
  }
}

/** A driver of cumulative counters gives rates from the second reading on: read twice, as the collector does. */
async function twoReadings(run: Run, call: string, type: ResourceType, metrics: string[], window: MetricWindow): Promise<MetricSeries[]> {
  const counters: CounterState = { previous: [] };
  await within(call, run.ms, () => run.driver.collectPerfMetrics(type, metrics, window, counters));
  return within(call, run.ms, () => run.driver.collectPerfMetrics(type, metrics, window, { previous: counters.current ?? [] }));
}

/** Runs the kit against an open driver; closes it at the end (close is a call with a timeout too). */
export async function runConformance(label: string, driver: StorageDriver, opts: ConformanceOptions): Promise<ConformanceReport> {
  const run = new Run(driver, opts.timeoutMs);
  const storage = await run.step('getStorage', () => within('getStorage', run.ms, () => driver.getStorage()), (s, ms) => ({
    summary: `${s?.vendor} ${s?.model} serial ${s?.serialNumber}, ${ms} ms`,
    problems: storageProblems(s),
  }));
  const pools = await run.step('listPools', () => within('listPools', run.ms, () => driver.listPools()), (p, ms) => ({
    summary: `${plural(p.length, 'pool')} in ${ms} ms`,
    problems: poolProblems(p),
  }));
  const poolIds = pools ? new Set(pools.map((p) => p.nativeStoragePoolId)) : undefined;
  const volumeIds = await checkVolumes(run, poolIds);
  const hardwareIds = await checkInventory(run);
  await checkAlerts(run);
  const end = new Date();
  const window = opts.window ?? { start: new Date(end.getTime() - 15 * 60_000), end };
  const ids = { STORAGE: storage ? new Set([storage.serialNumber]) : undefined, STORAGE_POOL: poolIds, VOLUME: volumeIds, ...hardwareIds };
  await checkMetrics(run, ids, window);
  await run.step('close', () => within('close', run.ms, () => driver.close()), (_, ms) => ({ summary: `closed in ${ms} ms`, problems: [] }));
  return makeReport(label, run.checks);
}

/** Creates a driver from its descriptor and access info, then runs the kit on it. */
export async function checkDriver(descriptor: DriverDescriptor, access: AccessInfo, opts: ConformanceOptions): Promise<ConformanceReport> {
  const label = `${descriptor.vendor} / ${descriptor.model}`;
  let driver: StorageDriver;
  try {
    driver = descriptor.create(access);
  } catch (err) {
    return makeReport(label, [{ name: 'create', summary: 'no driver', problems: [failure(err, 'create')] }]);
  }
  return runConformance(label, driver, opts);
}
