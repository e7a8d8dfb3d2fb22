// The simulated array at revision 0, as pure functions of its options. Each pool and volume is
// computed from its index alone, so a listing of 2 000 000 volumes never builds the whole list.
import { createHash } from 'node:crypto';
import type { DevicePool, DeviceStorage, DeviceVolume, StorageStatus } from '../driver.js';
import type { FakeOptions } from './fake-options.js';
import { draw, drawInt, hash2, hashString } from './prng.js';

export const FAKE_VENDOR = 'fake_storage';
export const FAKE_MODEL = 'fake_driver';

const MiB = 1024n ** 2n;
const GiB = 1024n ** 3n;

// Separate hash domains, so pool 3 and volume 3 draw unrelated numbers.
export const Domain = {
  Storage: 1,
  Pool: 2,
  Volume: 3,
  Churn: 4,
  Added: 5,
  Metrics: 6,
  Disk: 7,
  DiskChurn: 8,
  DiskAdded: 9,
  Controller: 10,
  Port: 11,
  PortChurn: 12,
} as const;
export type Domain = (typeof Domain)[keyof typeof Domain];

/** Options plus the seed's hash, computed once so per-volume work is integer-only. */
export interface FakeDevice {
  readonly options: FakeOptions;
  readonly seedHash: number;
  /** The start of every WWN of the device, and its pools' native ids: computed once, used per volume. */
  readonly wwnPrefix: string;
  readonly poolIds: readonly string[];
  /** domainKey(Volume) and domainKey(Churn): every base volume draws from them. */
  readonly volumeKey: number;
  readonly churnKey: number;
}

export function fakeDevice(options: FakeOptions): FakeDevice {
  const seedHash = hashString(options.seed);
  return {
    options,
    seedHash,
    wwnPrefix: `60fa4e5${seedHash.toString(16).padStart(8, '0')}0`,
    poolIds: Array.from({ length: options.pools }, (_, i) => poolNativeId(i)),
    volumeKey: hash2(seedHash, Domain.Volume),
    churnKey: hash2(seedHash, Domain.Churn),
  };
}

/** The hash every item of `domain` derives from. */
export function domainKey(device: FakeDevice, domain: Domain): number {
  return hash2(device.seedHash, domain);
}

/** `FAKE` + 12 hex digits of sha256(host|seed): the identity of the array, whatever its size. */
export function serialNumberOf(options: Pick<FakeOptions, 'host' | 'seed'>): string {
  const digest = createHash('sha256').update(`${options.host}|${options.seed}`).digest('hex');
  return `FAKE${digest.slice(0, 12).toUpperCase()}`;
}

export function padNumber(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Bytes of `fraction` × `total`, rounded down to whole MiB (fractions stay exact in bigint). */
function fractionOf(total: bigint, fraction: number): bigint {
  const mib = Number(total / MiB);
  return BigInt(Math.floor(mib * fraction)) * MiB;
}

// ---------------------------------------------------------------------------------- pools

export function poolNativeId(index: number): string {
  return `pool-${padNumber(index + 1, 3)}`;
}

function poolStatus(u: number): StorageStatus {
  if (u < 0.9) return 'NORMAL';
  return u < 0.97 ? 'DEGRADED' : 'ABNORMAL';
}

/** Pool `index` (0-based): 20–200 TiB in whole GiB, 20–80 % used, 50–150 % subscribed. */
export function poolAt(device: FakeDevice, index: number): DevicePool {
  const h = hash2(domainKey(device, Domain.Pool), index);
  const totalCapacity = BigInt(drawInt(h, 1, 20 * 1024, 200 * 1024)) * GiB;
  const usedCapacity = fractionOf(totalCapacity, 0.2 + 0.6 * draw(h, 2));
  const id = poolNativeId(index);
  return {
    nativeStoragePoolId: id,
    name: `fake-${id}`,
    description: `Simulated block pool ${index + 1}`,
    storageType: 'BLOCK',
    status: poolStatus(draw(h, 3)),
    totalCapacity,
    usedCapacity,
    freeCapacity: totalCapacity - usedCapacity,
    subscribedCapacity: fractionOf(totalCapacity, 0.5 + draw(h, 4)),
  };
}

export function poolsOf(device: FakeDevice): DevicePool[] {
  return Array.from({ length: device.options.pools }, (_, i) => poolAt(device, i));
}

// -------------------------------------------------------------------------------- storage

const SITES = ['Paris DC1', 'Frankfurt DC2', 'Virginia DC3', 'Singapore DC4', 'Sao Paulo DC5'];

/** The array: capacities are the exact sums of its pools'; raw adds 25 % RAID overhead. */
export function storageOf(device: FakeDevice): DeviceStorage {
  const { host, seed } = device.options;
  let totalCapacity = 0n;
  let usedCapacity = 0n;
  let subscribedCapacity = 0n;
  for (const pool of poolsOf(device)) {
    totalCapacity += pool.totalCapacity;
    usedCapacity += pool.usedCapacity;
    subscribedCapacity += pool.subscribedCapacity ?? 0n;
  }
  const h = domainKey(device, Domain.Storage);
  return {
    name: `fake-${host}`,
    description: `Simulated storage array (seed ${seed})`,
    vendor: FAKE_VENDOR,
    model: FAKE_MODEL,
    serialNumber: serialNumberOf(device.options),
    firmwareVersion: `1.${drawInt(h, 1, 0, 9)}.${drawInt(h, 2, 0, 99)}`,
    location: `${SITES[drawInt(h, 3, 0, SITES.length - 1)]}, rack R${drawInt(h, 4, 1, 40)}`,
    status: 'NORMAL',
    totalCapacity,
    usedCapacity,
    freeCapacity: totalCapacity - usedCapacity,
    rawCapacity: (totalCapacity * 5n) / 4n,
    subscribedCapacity,
  };
}

// -------------------------------------------------------------------------------- volumes

export function baseVolumeId(index: number): string {
  return `vol-${padNumber(index + 1, 6)}`;
}

export function addedVolumeId(revision: number, ordinal: number): string {
  return `vol-r${revision}-${padNumber(ordinal, 6)}`;
}

/**
 * NAA-6 style WWN: '6', a 6-hex "OUI", 9 hex of the seed, then 16 hex naming the volume
 * (revision in the top 6, index or ordinal below). Unique within a device by construction.
 */
function wwnOf(device: FakeDevice, revision: number, n: number): string {
  const rev = revision === 0 ? '000000' : revision.toString(16).padStart(6, '0').slice(-6);
  const num = n.toString(16).padStart(10, '0').slice(-10);
  return `${device.wwnPrefix}${rev}${num}`;
}

/** THIN used: 5–95 % of total; THICK volumes are fully allocated. */
export function thinUsed(total: bigint, u: number): bigint {
  return fractionOf(total, 0.05 + 0.9 * u);
}

interface VolumeShape {
  id: string;
  name: string;
  h: number;
  poolIndex: number;
  wwn: string;
}

const MiB_NUMBER = 1024 * 1024;

function volumeFrom(device: FakeDevice, s: VolumeShape): DeviceVolume {
  const thin = draw(s.h, 1) < 0.7;
  // In whole MiB as numbers (at most 4 TiB: exact far below 2^53), then bytes as bigints: the
  // same values as thinUsed() on bigints, without a bigint division and products per volume.
  const totalMiB = drawInt(s.h, 2, 100, 4096) * 1024;
  const usedMiB = thin ? Math.floor(totalMiB * (0.05 + 0.9 * draw(s.h, 3))) : totalMiB;
  return {
    nativeVolumeId: s.id,
    name: s.name,
    description: null,
    type: thin ? 'THIN' : 'THICK',
    status: draw(s.h, 4) < 0.01 ? 'ERROR' : 'AVAILABLE',
    nativeStoragePoolId: device.poolIds[s.poolIndex]!,
    wwn: s.wwn,
    totalCapacity: BigInt(totalMiB * MiB_NUMBER),
    usedCapacity: BigInt(usedMiB * MiB_NUMBER),
    freeCapacity: BigInt((totalMiB - usedMiB) * MiB_NUMBER),
    compressed: thin && draw(s.h, 5) < 0.5,
    deduplicated: thin && draw(s.h, 6) < 0.3,
  };
}

/** Base volume `index` (0-based) as revision 0 has it; its pool is index mod pools. */
export function baseVolume(device: FakeDevice, index: number): DeviceVolume {
  const id = baseVolumeId(index);
  return volumeFrom(device, {
    id,
    name: `fake-${id}`,
    h: hash2(device.volumeKey, index),
    poolIndex: index % device.options.pools,
    wwn: wwnOf(device, 0, index),
  });
}

/** The `ordinal`-th (1-based) volume added by revision `revision`. */
export function addedVolume(device: FakeDevice, revision: number, ordinal: number): DeviceVolume {
  const id = addedVolumeId(revision, ordinal);
  return volumeFrom(device, {
    id,
    name: `fake-${id}`,
    h: hash2(hash2(domainKey(device, Domain.Added), revision), ordinal),
    poolIndex: (ordinal - 1 + revision) % device.options.pools,
    wwn: wwnOf(device, revision, ordinal),
  });
}
