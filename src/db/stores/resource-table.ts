// How one kind of resource is stored: its table, its native-id column and the columns a sync
// writes. Pools and volumes share every mechanism below through these descriptions.
import type { DeviceController, DeviceDisk, DevicePool, DevicePort, DeviceVolume } from '../../drivers/driver.js';
import { pgHashText53 } from '../../lib/pg-hash-text.js';

export interface Column<D> {
  name: string;
  /** PostgreSQL array element type used to pass a page of values in one parameter. */
  pgType: 'text' | 'bigint' | 'boolean' | 'float8';
  value: (d: D) => string | boolean | bigint | number | null | undefined;
}

export interface ResourceTable<D> {
  table: string;
  nativeColumn: string;
  /** A generated column PostgreSQL keeps equal to `fingerprint()` of the row, if the table has one. */
  fingerprintColumn?: string;
  nativeId: (d: D) => string;
  columns: Column<D>[];
}

const text = <D>(name: string, value: Column<D>['value']): Column<D> => ({ name, pgType: 'text', value });
const bigint = <D>(name: string, value: Column<D>['value']): Column<D> => ({ name, pgType: 'bigint', value });
const bool = <D>(name: string, value: Column<D>['value']): Column<D> => ({ name, pgType: 'boolean', value });
const float = <D>(name: string, value: Column<D>['value']): Column<D> => ({ name, pgType: 'float8', value });

export const POOLS: ResourceTable<DevicePool> = {
  table: 'storage_pool',
  nativeColumn: 'native_storage_pool_id',
  nativeId: (p) => p.nativeStoragePoolId,
  columns: [
    text('name', (p) => p.name),
    text('description', (p) => p.description),
    text('storage_type', (p) => p.storageType),
    text('status', (p) => p.status),
    bigint('total_capacity', (p) => p.totalCapacity),
    bigint('used_capacity', (p) => p.usedCapacity),
    bigint('free_capacity', (p) => p.freeCapacity),
    bigint('subscribed_capacity', (p) => p.subscribedCapacity),
  ],
};

export const VOLUMES: ResourceTable<DeviceVolume> = {
  table: 'volume',
  nativeColumn: 'native_volume_id',
  fingerprintColumn: 'fingerprint',
  nativeId: (v) => v.nativeVolumeId,
  columns: [
    text('name', (v) => v.name),
    text('description', (v) => v.description),
    text('type', (v) => v.type),
    text('status', (v) => v.status),
    text('native_storage_pool_id', (v) => v.nativeStoragePoolId),
    text('wwn', (v) => v.wwn),
    bigint('total_capacity', (v) => v.totalCapacity),
    bigint('used_capacity', (v) => v.usedCapacity),
    bigint('free_capacity', (v) => v.freeCapacity),
    bool('compressed', (v) => v.compressed),
    bool('deduplicated', (v) => v.deduplicated),
  ],
};

export const DISKS: ResourceTable<DeviceDisk> = {
  table: 'disk',
  nativeColumn: 'native_disk_id',
  nativeId: (d) => d.nativeDiskId,
  columns: [
    text('name', (d) => d.name),
    text('status', (d) => d.status),
    text('media_type', (d) => d.mediaType),
    bigint('capacity', (d) => d.capacity),
    text('manufacturer', (d) => d.manufacturer),
    text('model', (d) => d.model),
    text('serial_number', (d) => d.serialNumber),
    text('firmware', (d) => d.firmware),
    float('speed_gbps', (d) => d.speedGbps),
    text('location', (d) => d.location),
  ],
};

export const CONTROLLERS: ResourceTable<DeviceController> = {
  table: 'controller',
  nativeColumn: 'native_controller_id',
  nativeId: (c) => c.nativeControllerId,
  columns: [
    text('name', (c) => c.name),
    text('status', (c) => c.status),
    text('firmware', (c) => c.firmware),
    text('location', (c) => c.location),
    bigint('memory_bytes', (c) => c.memoryBytes),
  ],
};

export const PORTS: ResourceTable<DevicePort> = {
  table: 'port',
  nativeColumn: 'native_port_id',
  nativeId: (p) => p.nativePortId,
  columns: [
    text('name', (p) => p.name),
    text('type', (p) => p.type),
    text('connection_status', (p) => p.connectionStatus),
    text('health_status', (p) => p.healthStatus),
    float('speed_gbps', (p) => p.speedGbps),
    text('wwn', (p) => p.wwn),
    text('mac_address', (p) => p.macAddress),
    text('ip_address', (p) => p.ipAddress),
    text('location', (p) => p.location),
    text('native_controller_id', (p) => p.nativeControllerId),
  ],
};

/**
 * A fingerprint of a resource's written columns: equal fingerprints mean nothing to write. For
 * stored rows PostgreSQL computes it (the table's generated `fingerprintColumn`, see migration
 * 6); for the device's the worker computes the same hash (53 bits of PostgreSQL's
 * hashtextextended) over the same text forms. A change is missed only if its fingerprint
 * collides with the old one: about 1 in 2^53.
 */
const NULL_TEXT = '\\N';
const SEPARATOR = '\u001f';

export function fingerprint<D>(t: ResourceTable<D>, d: D): number {
  // A plain loop and one string: this runs for every volume of every sync.
  let text = '';
  for (let i = 0; i < t.columns.length; i++) {
    const v = t.columns[i]!.value(d);
    if (i > 0) text += SEPARATOR;
    text += v === null || v === undefined ? NULL_TEXT : typeof v === 'string' ? v : String(v);
  }
  return pgHashText53(text);
}

/** A stored row as read back: native id, row id and the written columns (bigints as text). */
export type StoredRow = Record<string, unknown> & { id: string; native_id: string };

const normal = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Whether the device's resource equals the stored row in every written column. */
export function sameAsStored<D>(t: ResourceTable<D>, d: D, s: StoredRow): boolean {
  return t.columns.every((c) => normal(c.value(d)) === normal(s[c.name]));
}
