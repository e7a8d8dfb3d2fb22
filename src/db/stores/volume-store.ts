// The volume table's store: a sync writes a storage's volumes in bulk (new ones by COPY,
// changed ones by one multi-row upsert, removals in bounded statements: resource-writer.ts);
// a removal deletes them in bounded batches.
import type { DeviceVolume } from '../../drivers/driver.js';
import type { Queryable, TxClient } from '../sql.js';
import type { IdTable } from '../../lib/id-table.js';
import { VOLUMES } from './resource-table.js';
import { copyRows, deleteByNativeIds, readFingerprints, upsert } from './resource-writer.js';
import { CopyRows } from './copy-rows.js';
import { childRows, type Order, type Where } from './row-views.js';

/** Native id → fingerprint of every stored volume of the storage, in one COPY. */
export function readVolumeFingerprints(client: TxClient, storageId: string): Promise<IdTable> {
  return readFingerprints(client, VOLUMES, storageId);
}

/** New volumes, encoded as they were listed, to be inserted by insertEncodedVolumes. */
export function newVolumeRows(storageId: string): CopyRows<DeviceVolume> {
  return new CopyRows(VOLUMES, storageId);
}

/** The volumes encoded in `rows` since its last take, by COPY. */
export function insertEncodedVolumes(client: TxClient, rows: CopyRows<DeviceVolume>): Promise<void> {
  return copyRows(client, VOLUMES, rows.take());
}

/** Changed volumes, in one statement. */
export function writeVolumes(q: Queryable, storageId: string, volumes: DeviceVolume[]): Promise<void> {
  return upsert(q, VOLUMES, storageId, volumes);
}

/** Removes volumes by native id, in bounded statements; returns how many went. */
export function deleteVolumesByNativeId(q: Queryable, storageId: string, nativeIds: string[]): Promise<number> {
  return deleteByNativeIds(q, VOLUMES, storageId, nativeIds);
}

export async function countVolumes(q: Queryable, storageId: string): Promise<number> {
  const { rows } = await q.query('select count(*)::int as n from volume where storage_id = $1', [storageId]);
  return rows[0]!.n as number;
}

/** Deletes up to `limit` of the storage's volumes; returns how many went (0: none left). */
export async function deleteVolumeBatch(q: Queryable, storageId: string, limit: number): Promise<number> {
  const res = await q.query(`delete from volume where id in (select id from volume where storage_id = $1 limit $2)`, [storageId, limit]);
  return res.rowCount ?? 0;
}

/** Native id → name of the storage's volumes (the exporters' labels). */
export async function volumeNames(q: Queryable, storageId: string): Promise<Map<string, string>> {
  const { rows } = await q.query('select native_volume_id as id, name from volume where storage_id = $1', [storageId]);
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}

/** A volume as the API shows it. */
export interface VolumeView {
  id: string;
  storageId: string;
  nativeVolumeId: string;
  name: string;
  description: string | null;
  type: 'THICK' | 'THIN' | null;
  status: 'AVAILABLE' | 'ERROR';
  nativeStoragePoolId: string | null;
  wwn: string | null;
  totalCapacity: string;
  usedCapacity: string;
  freeCapacity: string;
  compressed: boolean | null;
  deduplicated: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

const VOLUME_FIELDS = [
  'id', 'storageId', 'nativeVolumeId', 'name', 'description', 'type', 'status', 'nativeStoragePoolId', 'wwn',
  'totalCapacity', 'usedCapacity', 'freeCapacity', 'compressed', 'deduplicated', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof VolumeView>;

/** Pages of volumes, of one storage or of all, by id or in an order, and their counts. */
export const volumeRows = childRows<VolumeView>('volume', VOLUME_FIELDS);

/** What a lookup of volumes matches (every field given must match). */
export interface VolumeFilter {
  /** Part of the name, in any case. */
  nameContains?: string | null;
  /** The WWN, in any case. */
  wwn?: string | null;
  nativeVolumeId?: string | null;
  nativeStoragePoolId?: string | null;
  /** Any of these (none or empty: any). */
  status?: readonly string[] | null;
}

export type VolumeOrderField = 'NAME' | 'TOTAL_CAPACITY' | 'USED_CAPACITY' | 'CREATED_AT';

/** Each order's column; each has an index with the id after it (migration volume_lookups). */
const ORDER_COLUMNS: Record<VolumeOrderField, Omit<Order, 'descending'>> = {
  NAME: { column: 'name', type: 'text' },
  TOTAL_CAPACITY: { column: 'total_capacity', type: 'bigint' },
  USED_CAPACITY: { column: 'used_capacity', type: 'bigint' },
  CREATED_AT: { column: 'created_at', type: 'timestamptz' },
};

export function volumeOrder(field: VolumeOrderField, descending: boolean): Order {
  return { ...ORDER_COLUMNS[field], descending };
}

const STATUSES = ['AVAILABLE', 'ERROR'];

/** The filter's conditions, each served by an index (see the migration volume_lookups). */
export function volumeWhere(filter: VolumeFilter): Where | undefined {
  // No status, or an empty list, is any status (as for tasks).
  const statuses = filter.status?.length ? STATUSES.filter((s) => filter.status!.includes(s)) : STATUSES;
  const given = filter.nameContains || filter.wwn || filter.nativeVolumeId || filter.nativeStoragePoolId || statuses.length < STATUSES.length;
  if (!given) return undefined;
  return (p) => [
    ...(filter.nameContains ? [`t.name ilike ${p.add(`%${escapeLike(filter.nameContains)}%`)}`] : []),
    ...(filter.wwn ? [`lower(t.wwn) = lower(${p.add(filter.wwn)})`] : []),
    ...(filter.nativeVolumeId ? [`t.native_volume_id = ${p.add(filter.nativeVolumeId)}`] : []),
    ...(filter.nativeStoragePoolId ? [`t.native_storage_pool_id = ${p.add(filter.nativeStoragePoolId)}`] : []),
    // One status here (both is no condition), written as a literal (one of STATUSES) so the
    // planner sees that ERROR's partial indexes apply.
    ...(statuses.length < STATUSES.length ? [`t.status = '${statuses[0]}'`] : []),
  ];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
