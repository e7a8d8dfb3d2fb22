// Churn: revision k (1..r) removes about 0.5 % of the base volumes, changes about 0.5 %
// (used/free capacity and status) and adds ceil(0.5 % × volumes) new ones, all drawn from
// (seed, k). Revisions accumulate. A base volume's state at revision r takes r draws, so any
// volume is computed alone in O(r), and listings, counts and diffs agree by construction.
import type { DeviceVolume } from '../driver.js';
import type { FakeOptions } from './fake-options.js';
import {
  type FakeDevice,
  addedVolume,
  addedVolumeId,
  baseVolume,
  fakeDevice,
  thinUsed,
} from './fake-device.js';
import { draw, hash2, toUnit } from './prng.js';

export const REMOVE_RATE = 0.005;
export const CHANGE_RATE = 0.005;

/** How many volumes each revision adds. */
export function addedPerRevision(volumes: number): number {
  return Math.ceil(volumes * 0.005);
}

/** One draw per (revision, base volume): below REMOVE_RATE removed, then CHANGE_RATE changed. */
function churnDraw(churnKey: number, revision: number, index: number): number {
  return toUnit(hash2(hash2(churnKey, revision), index));
}

/** The volume after revision `revision` changed it: THIN gets a new used size; status flips. */
function changed(v: DeviceVolume, h: number): DeviceVolume {
  const usedCapacity = v.type === 'THIN' ? thinUsed(v.totalCapacity, draw(h, 1)) : v.usedCapacity;
  return {
    ...v,
    status: v.status === 'ERROR' ? 'AVAILABLE' : 'ERROR',
    usedCapacity,
    freeCapacity: v.totalCapacity - usedCapacity,
  };
}

/** Whether base volume `index` still exists at `revision`. */
export function baseVolumePresent(device: FakeDevice, index: number, revision: number): boolean {
  const { churnKey } = device;
  for (let k = 1; k <= revision; k++) {
    if (churnDraw(churnKey, k, index) < REMOVE_RATE) return false;
  }
  return true;
}

/** Base volume `index` as revision `revision` has it, or undefined once removed. */
export function baseVolumeAt(device: FakeDevice, index: number, revision: number): DeviceVolume | undefined {
  const { churnKey } = device;
  let volume: DeviceVolume | undefined;
  for (let k = 1; k <= revision; k++) {
    const u = churnDraw(churnKey, k, index);
    if (u < REMOVE_RATE) return undefined;
    if (u < REMOVE_RATE + CHANGE_RATE) {
      // ~index: a key no churn draw uses (indexes are >= 0), so the new values are independent.
      volume = changed(volume ?? baseVolume(device, index), hash2(hash2(churnKey, k), ~index));
    }
  }
  return volume ?? baseVolume(device, index);
}

/**
 * Every volume of `revision` in listing order: surviving base volumes by index, then the
 * volumes added by revision 1, 2, ... A generator, so memory stays flat.
 */
export function* volumesAt(device: FakeDevice, revision: number): Generator<DeviceVolume> {
  const { volumes } = device.options;
  for (let i = 0; i < volumes; i++) {
    const v = baseVolumeAt(device, i, revision);
    if (v) yield v;
  }
  const added = addedPerRevision(volumes);
  for (let k = 1; k <= revision; k++) {
    for (let j = 1; j <= added; j++) yield addedVolume(device, k, j);
  }
}

/** Exactly how many volumes the device has at `revision` (default: the options' revision). */
export function countVolumes(options: FakeOptions, revision = options.revision): number {
  const { volumes } = options;
  if (revision === 0) return volumes; // nothing removed yet
  const device = fakeDevice(options);
  let count = 0;
  for (let i = 0; i < volumes; i++) {
    if (baseVolumePresent(device, i, revision)) count++;
  }
  return count + revision * addedPerRevision(volumes);
}

export interface RevisionDiff {
  /** In `to`, not in `from`. */
  added: string[];
  /** In both, with at least one field different. */
  changed: string[];
  /** In `from`, not in `to`. */
  removed: string[];
}

function sameVolume(a: DeviceVolume, b: DeviceVolume): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof DeviceVolume>;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * The exact difference between what listVolumes yields at `from` and at `to` (either order),
 * as native ids in listing order: what a sync from one revision to the other adds, updates
 * and deletes.
 */
export function diffRevisions(options: FakeOptions, from: number, to: number): RevisionDiff {
  const device = fakeDevice(options);
  const diff: RevisionDiff = { added: [], changed: [], removed: [] };
  for (let i = 0; i < options.volumes; i++) {
    const before = baseVolumeAt(device, i, from);
    const after = baseVolumeAt(device, i, to);
    if (before && !after) diff.removed.push(before.nativeVolumeId);
    else if (!before && after) diff.added.push(after.nativeVolumeId);
    else if (before && after && !sameVolume(before, after)) diff.changed.push(after.nativeVolumeId);
  }
  // Added volumes never change once added: only the revisions between the two count.
  const perRevision = addedPerRevision(options.volumes);
  for (let k = Math.min(from, to) + 1; k <= Math.max(from, to); k++) {
    for (let j = 1; j <= perRevision; j++) {
      (to > from ? diff.added : diff.removed).push(addedVolumeId(k, j));
    }
  }
  return diff;
}
