// What must hold of what a driver returns, as pure functions: each returns the problems it
// finds as sentences (none: it holds). The runner (./runner.ts) feeds them a live driver's
// answers; a driver package's own tests may feed them its answers directly.
import type { DeviceAlert, DevicePool, DeviceStorage, DeviceVolume, DriverCapabilities, MetricSeries, MetricWindow } from '../driver.js';
import type { InventoryItem, InventoryKind } from './inventory.js';

/** At most this many examples are named per problem, so a report stays readable. */
const EXAMPLES = 5;

function examples(items: readonly string[]): string {
  const shown = items.slice(0, EXAMPLES).map((i) => JSON.stringify(i)).join(', ');
  return items.length > EXAMPLES ? `${shown} and ${items.length - EXAMPLES} more` : shown;
}

interface Capacities {
  totalCapacity: unknown;
  usedCapacity: unknown;
  freeCapacity: unknown;
}

/** Capacities are bigint bytes, not negative, and used (and free) at most total. */
export function capacityProblems(what: string, c: Capacities): string[] {
  const fields = ['totalCapacity', 'usedCapacity', 'freeCapacity'] as const;
  const notBigint = fields.filter((f) => typeof c[f] !== 'bigint');
  if (notBigint.length) return [`${what}: ${notBigint.join(', ')} must be bigint bytes (got ${notBigint.map((f) => typeof c[f]).join(', ')})`];
  const [total, used, free] = fields.map((f) => c[f] as bigint) as [bigint, bigint, bigint];
  const problems: string[] = [];
  const negative = fields.filter((f) => (c[f] as bigint) < 0n);
  if (negative.length) problems.push(`${what}: ${negative.join(', ')} is negative`);
  if (used > total) problems.push(`${what}: used capacity ${used} is more than total ${total}`);
  if (free > total) problems.push(`${what}: free capacity ${free} is more than total ${total}`);
  return problems;
}

/** Native ids must be non-empty strings, each listed once. */
export function uniqueIdProblems(noun: string, ids: readonly unknown[]): string[] {
  const problems: string[] = [];
  const bad = ids.filter((id) => typeof id !== 'string' || id === '').length;
  if (bad) problems.push(`${bad} ${noun}(s) have no native id (an empty or non-string id)`);
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string' || id === '') continue;
    if (seen.has(id)) twice.add(id);
    seen.add(id);
  }
  if (twice.size) problems.push(`${noun} native ids are not unique: ${examples([...twice])} listed more than once`);
  return problems;
}

export function storageProblems(s: DeviceStorage): string[] {
  const problems: string[] = [];
  for (const f of ['name', 'vendor', 'model', 'serialNumber'] as const) {
    if (typeof s[f] !== 'string' || s[f] === '') problems.push(`storage: ${f} must be a non-empty string`);
  }
  return [...problems, ...capacityProblems('storage', s)];
}

export function poolProblems(pools: readonly DevicePool[]): string[] {
  return [
    ...uniqueIdProblems('pool', pools.map((p) => p.nativeStoragePoolId)),
    ...pools.flatMap((p) => capacityProblems(`pool ${JSON.stringify(p.nativeStoragePoolId)}`, p)),
  ];
}

/** Unique ids, sane capacities, and every volume's pool (when it names one) is among the pools. */
export function volumeProblems(volumes: readonly DeviceVolume[], poolIds?: ReadonlySet<string>): string[] {
  const problems = [...uniqueIdProblems('volume', volumes.map((v) => v.nativeVolumeId))];
  const capacity = volumes.flatMap((v) => capacityProblems(`volume ${JSON.stringify(v.nativeVolumeId)}`, v));
  problems.push(...capacity.slice(0, EXAMPLES));
  if (capacity.length > EXAMPLES) problems.push(`... and ${capacity.length - EXAMPLES} more volume capacity problems`);
  if (poolIds) {
    const orphans = volumes.filter((v) => v.nativeStoragePoolId != null && !poolIds.has(v.nativeStoragePoolId));
    if (orphans.length) {
      const named = [...new Set(orphans.map((v) => v.nativeStoragePoolId!))];
      problems.push(`${orphans.length} volume(s) name a pool that listPools does not return: ${examples(named)}`);
    }
  }
  return problems;
}

/** One pass over a paged listing: the ids in the order yielded and each page's `total`. */
export interface ListingTrace {
  ids: string[];
  totals: Array<number | undefined>;
}

/** Paging is stable: two listings of an unchanged array yield the same ids in the same order, and `total` matches. */
export function pagingProblems(noun: string, first: ListingTrace, second: ListingTrace): string[] {
  const problems: string[] = [];
  for (const [which, trace] of [['first', first], ['second', second]] as const) {
    const totals = [...new Set(trace.totals.filter((t) => t !== undefined))];
    if (totals.length > 1) problems.push(`${noun} listing (${which} pass): pages report different totals (${totals.join(', ')})`);
    else if (totals.length === 1 && totals[0] !== trace.ids.length) {
      problems.push(`${noun} listing (${which} pass): pages report a total of ${totals[0]} but ${trace.ids.length} ${noun}s were listed`);
    }
  }
  if (first.ids.length !== second.ids.length) {
    problems.push(`paging is not stable: the first ${noun} listing had ${first.ids.length} items, the second ${second.ids.length}`);
    return problems;
  }
  const at = first.ids.findIndex((id, i) => id !== second.ids[i]);
  if (at >= 0) {
    problems.push(`paging is not stable: two listings differ at ${noun} ${at + 1} (${JSON.stringify(first.ids[at])} then ${JSON.stringify(second.ids[at])})`);
  }
  return problems;
}

/** Disks, controllers, ports: unique native ids; a port's controller (when named) is listed. */
export function inventoryProblems(kind: InventoryKind, items: readonly InventoryItem[], controllerIds?: ReadonlySet<string>): string[] {
  const problems = uniqueIdProblems(kind.noun, items.map((i) => i[kind.idField]));
  if (kind.noun === 'disk') {
    const bad = items.filter((d) => typeof d.capacity !== 'bigint' || d.capacity < 0n).map((d) => String(d.nativeDiskId));
    if (bad.length) problems.push(`disk capacity must be bigint bytes, not negative: ${examples(bad)}`);
  }
  if (kind.noun === 'port' && controllerIds) {
    const orphans = items.filter((p) => typeof p.nativeControllerId === 'string' && !controllerIds.has(p.nativeControllerId));
    if (orphans.length) problems.push(`${orphans.length} port(s) name a controller that listControllers does not return: ${examples(orphans.map((p) => String(p.nativeControllerId)))}`);
  }
  return problems;
}

const SEVERITIES = ['FATAL', 'CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INFORMATIONAL', 'NOT_SPECIFIED'];
const CATEGORIES = ['FAULT', 'EVENT', 'RECOVERY', 'NOT_SPECIFIED'];

/** Listed alerts: one per sequence number (what stores them once), in the contract's words. */
export function alertProblems(alerts: readonly DeviceAlert[]): string[] {
  if (!Array.isArray(alerts)) return ['listAlerts must return an array of alerts'];
  const problems = uniqueIdProblems('alert', alerts.map((a) => a.sequenceNumber));
  const bad = (test: (a: DeviceAlert) => boolean) => alerts.filter(test).map((a) => String(a.sequenceNumber));
  const noId = bad((a) => typeof a.alertId !== 'string' || typeof a.alertName !== 'string' || typeof a.description !== 'string');
  if (noId.length) problems.push(`alertId, alertName and description must be strings: ${examples(noId)}`);
  const severity = bad((a) => !SEVERITIES.includes(a.severity) || !CATEGORIES.includes(a.category));
  if (severity.length) problems.push(`severity must be one of ${SEVERITIES.join(', ')} and category one of ${CATEGORIES.join(', ')}: ${examples(severity)}`);
  const when = bad((a) => a.occurredAt !== undefined && a.occurredAt !== null && !(a.occurredAt instanceof Date && !Number.isNaN(a.occurredAt.getTime())));
  if (when.length) problems.push(`occurredAt must be a valid Date (or absent): ${examples(when)}`);
  return problems;
}

/** Series answer what was asked: known resources and metrics, one value per timestamp, inside the window. */
export function metricProblems(
  series: readonly MetricSeries[],
  asked: { metrics: readonly string[]; window: MetricWindow; resourceIds?: ReadonlySet<string> },
): string[] {
  const problems: string[] = [];
  const start = asked.window.start.getTime();
  const end = asked.window.end.getTime();
  for (const s of series) {
    const what = `series ${s.metric} of ${s.resourceType} ${JSON.stringify(s.resourceId)}`;
    if (!asked.metrics.includes(s.metric)) problems.push(`${what}: metric was not asked for`);
    if (asked.resourceIds && !asked.resourceIds.has(s.resourceId)) problems.push(`${what}: no such resource was listed`);
    if (s.timestamps.length !== s.values.length) problems.push(`${what}: ${s.timestamps.length} timestamps but ${s.values.length} values`);
    if (s.timestamps.some((t) => t < start || t > end)) problems.push(`${what}: samples outside the window asked for`);
    if (s.timestamps.some((t, i) => i > 0 && t < s.timestamps[i - 1]!)) problems.push(`${what}: timestamps out of order`);
    if (problems.length >= EXAMPLES) break;
  }
  return problems;
}

/** Capabilities name metrics with a name and a unit, for resource types only. */
export function capabilityProblems(caps: DriverCapabilities): string[] {
  if (!caps || typeof caps.metrics !== 'object' || caps.metrics === null) return ['capabilities: "metrics" must be an object keyed by resource type'];
  return Object.entries(caps.metrics).flatMap(([type, specs]) =>
    Array.isArray(specs) && specs.every((m) => typeof m?.name === 'string' && typeof m?.unit === 'string')
      ? uniqueIdProblems(`${type} metric`, specs.map((m) => m.name))
      : [`capabilities: metrics.${type} must be a list of { name, unit }`],
  );
}
