// The storage table's store: the only module that writes it. A storage's sync state follows
// its sync tasks (SYNCING while one is queued or running); its device columns follow the
// device; its name and description belong to the operator.
import type { DeviceStorage } from '../../drivers/driver.js';
import type { Queryable } from '../sql.js';
import type { SyncState } from '../entities/enums.js';
import { selectList, type Page } from './row-views.js';

/** The storage columns that follow the device, in the order of `deviceState`. */
export const DEVICE_STATE_COLUMNS = [
  'firmware_version', 'location', 'status', 'total_capacity', 'used_capacity', 'free_capacity', 'raw_capacity', 'subscribed_capacity',
] as const;

/** The device's values for DEVICE_STATE_COLUMNS (capacities as decimal strings). */
export function deviceState(d: DeviceStorage): Array<string | null> {
  return [
    d.firmwareVersion ?? null,
    d.location ?? null,
    d.status,
    d.totalCapacity.toString(),
    d.usedCapacity.toString(),
    d.freeCapacity.toString(),
    d.rawCapacity?.toString() ?? null,
    d.subscribedCapacity?.toString() ?? null,
  ];
}

export interface NewStorage {
  id: string;
  name: string;
  description: string | null;
  vendor: string;
  model: string;
}

/** A storage just registered: SYNCING, since its first sync is queued in the same transaction. */
export async function insertStorage(q: Queryable, s: NewStorage, d: DeviceStorage): Promise<void> {
  const columns = ['id', 'name', 'description', 'vendor', 'model', 'serial_number', ...DEVICE_STATE_COLUMNS];
  const values = [s.id, s.name, s.description, s.vendor, s.model, d.serialNumber, ...deviceState(d)];
  await q.query(
    `insert into storage (sync_state, ${columns.join(', ')}) values ('SYNCING', ${values.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  );
}

/** The id of the storage registered with this serial number, if any. */
export async function findIdBySerial(q: Queryable, serialNumber: string): Promise<string | undefined> {
  const { rows } = await q.query('select id from storage where serial_number = $1', [serialNumber]);
  return rows[0]?.id as string | undefined;
}

export async function serialNumberOf(q: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await q.query('select serial_number from storage where id = $1', [id]);
  return rows[0]?.serial_number as string | undefined;
}

/** Whether the storage exists and is not being deleted; undefined when it does not exist. */
export async function deletingOf(q: Queryable, id: string): Promise<boolean | undefined> {
  const { rows } = await q.query('select deleting from storage where id = $1', [id]);
  return rows[0] ? Boolean(rows[0].deleting) : undefined;
}

/** Storages that are not being deleted, by id. */
export async function idsNotDeleting(q: Queryable): Promise<string[]> {
  const { rows } = await q.query('select id from storage where not deleting order by id');
  return rows.map((r) => r.id as string);
}

/** A storage as a declared fleet (applyStorages) matches it: by name. */
export interface NamedStorage {
  id: string;
  name: string;
  vendor: string;
  model: string;
  description: string | null;
}

/** Storages not being deleted, with their names: every one when `names` is absent. */
export async function namedStorages(q: Queryable, names?: readonly string[]): Promise<NamedStorage[]> {
  const { rows } = names
    ? await q.query('select id, name, vendor, model, description from storage where not deleting and name = any($1::text[]) order by id', [names])
    : await q.query('select id, name, vendor, model, description from storage where not deleting order by id');
  return rows as NamedStorage[];
}

/** Sets a storage's description; false when it is gone. */
export async function setDescription(q: Queryable, id: string, description: string | null): Promise<boolean> {
  const { rowCount } = await q.query('update storage set description = $2, updated_at = now() where id = $1', [id, description]);
  return (rowCount ?? 0) > 0;
}

/**
 * Writes the device's state and capacities, as a sync read them, unless the storage was registered with another serial number (the
 * address now answers for another array): then nothing is written and that serial number is
 * returned. One statement on the usual path (a sync of a small array is mostly round trips).
 */
export async function updateDeviceState(q: Queryable, id: string, d: DeviceStorage): Promise<{ registeredAs?: string }> {
  const state = deviceState(d);
  const set = DEVICE_STATE_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ');
  const { rowCount } = await q.query(
    `update storage set ${set}, updated_at = now() where id = $1 and (serial_number is null or serial_number = $${state.length + 2})`,
    [id, ...state, d.serialNumber],
  );
  return rowCount ? {} : { registeredAs: await serialNumberOf(q, id) };
}

/**
 * A task could not reach the array: it shows OFFLINE until a sync reads its state again
 * (updateDeviceState). Its resources stay as the last sync left them.
 */
export async function markOffline(q: Queryable, id: string): Promise<void> {
  await q.query(`update storage set status = 'OFFLINE', updated_at = now() where id = $1 and status <> 'OFFLINE'`, [id]);
}

/** A sync of these storages was queued: they show SYNCING. Returns each one's state before. */
export async function markSyncing(q: Queryable, ids: string[]): Promise<Map<string, SyncState>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query(
    `update storage s set sync_state = 'SYNCING', updated_at = now()
     from (select id, sync_state from storage where id = any($1::uuid[])) old
     where s.id = old.id returning old.id, old.sync_state`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id as string, r.sync_state as SyncState]));
}

/** Undoes markSyncing (the bus refused the sync): each storage gets back the state it had. */
export async function putBackSyncStates(q: Queryable, previous: Map<string, SyncState>): Promise<void> {
  if (previous.size === 0) return;
  await q.query(
    `update storage s set sync_state = p.sync_state from unnest($1::uuid[], $2::text[]) as p(id, sync_state)
     where s.id = p.id and s.sync_state = 'SYNCING'`,
    [[...previous.keys()], [...previous.values()]],
  );
}

/** A sync ended SUCCEEDED (SYNCED, and when) or FAILED. */
export async function finishSync(q: Queryable, id: string, state: 'SYNCED' | 'FAILED'): Promise<void> {
  await q.query(
    `update storage set sync_state = $2, last_synced_at = case when $2 = 'SYNCED' then now() else last_synced_at end,
       updated_at = now() where id = $1`,
    [id, state],
  );
}

/** A sync started running (a redelivered one, or one queued before the storage showed it). */
export async function markSyncStarted(q: Queryable, id: string): Promise<void> {
  await q.query(`update storage set sync_state = 'SYNCING', updated_at = now() where id = $1 and sync_state <> 'SYNCING'`, [id]);
}

/**
 * After a sync is cancelled: the storage shows the state the last ended sync left, unless
 * another sync of it is still queued or running.
 */
export async function restoreSyncState(q: Queryable, id: string): Promise<void> {
  await q.query(
    `update storage set sync_state = case when last_synced_at is null then 'NEVER_SYNCED' else 'SYNCED' end,
       updated_at = now()
     where id = $1 and sync_state = 'SYNCING'
       and not exists (select 1 from task where storage_id = $1 and kind = 'SYNC_RESOURCES' and status in ('QUEUED', 'RUNNING'))`,
    [id],
  );
}

/** Delete wins over sync (rule 4): from here no new work starts for the storage. */
export async function markDeleting(q: Queryable, id: string, deleting = true): Promise<void> {
  await q.query('update storage set deleting = $2, updated_at = now() where id = $1', [id, deleting]);
}

/** Removes the storage row; its access info, pools, lease and configs go with it (foreign keys cascade). */
export async function deleteStorage(q: Queryable, id: string): Promise<void> {
  await q.query('delete from storage where id = $1', [id]);
}

/**
 * Locks the storage's row for a transaction that queues work for it, and tells whether it may
 * (undefined: gone; deleting: on its way out).
 */
export async function lockForQueueing(q: Queryable, id: string): Promise<{ deleting: boolean; syncState: SyncState } | undefined> {
  const { rows } = await q.query('select deleting, sync_state from storage where id = $1 for update', [id]);
  return rows[0] ? { deleting: Boolean(rows[0].deleting), syncState: rows[0].sync_state as SyncState } : undefined;
}

/** A storage as the API shows it. */
export interface StorageView {
  id: string;
  name: string;
  description: string | null;
  vendor: string;
  model: string;
  serialNumber: string;
  firmwareVersion: string | null;
  location: string | null;
  status: string;
  syncState: SyncState;
  totalCapacity: string;
  usedCapacity: string;
  freeCapacity: string;
  rawCapacity: string | null;
  subscribedCapacity: string | null;
  lastSyncedAt: Date | null;
  deleting: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const STORAGE_FIELDS = [
  'id', 'name', 'description', 'vendor', 'model', 'serialNumber', 'firmwareVersion', 'location', 'status', 'syncState',
  'totalCapacity', 'usedCapacity', 'freeCapacity', 'rawCapacity', 'subscribedCapacity', 'lastSyncedAt', 'deleting', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof StorageView>;

export async function getStorages(q: Queryable, ids: readonly string[]): Promise<StorageView[]> {
  const { rows } = await q.query(`select ${selectList(STORAGE_FIELDS, 's')} from storage s where s.id = any($1::uuid[])`, [ids]);
  return rows as StorageView[];
}

export async function getStorage(q: Queryable, id: string): Promise<StorageView | undefined> {
  return (await getStorages(q, [id]))[0];
}

export interface StorageFilter {
  vendor?: string | null;
  model?: string | null;
  status?: string | null;
  syncState?: string | null;
  nameContains?: string | null;
  serialNumber?: string | null;
}

/** A page of storages (by id) matching the filter, and a count of them to run if asked for. */
export async function listStorages(q: Queryable, filter: StorageFilter, page: Page): Promise<{ rows: StorageView[]; count: () => Promise<number> }> {
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  // The serial number's unique constraint is its index.
  if (filter.serialNumber) add((p) => `s.serial_number = ${p}`, filter.serialNumber);
  if (filter.vendor) add((p) => `s.vendor = ${p}`, filter.vendor);
  if (filter.model) add((p) => `s.model = ${p}`, filter.model);
  if (filter.status) add((p) => `s.status = ${p}`, filter.status);
  if (filter.syncState) add((p) => `s.sync_state = ${p}`, filter.syncState);
  if (filter.nameContains) add((p) => `s.name ilike ${p}`, `%${escapeLike(filter.nameContains)}%`);
  const matching = where.length ? `where ${where.join(' and ')}` : '';
  const pageWhere = [...where, `($${params.length + 1}::uuid is null or s.id > $${params.length + 1})`].join(' and ');
  const rows = await q.query(`select ${selectList(STORAGE_FIELDS, 's')} from storage s where ${pageWhere} order by s.id limit $${params.length + 2}`, [
    ...params, page.afterId ?? null, page.limit + 1,
  ]);
  const count = async () => (await q.query(`select count(*)::int as n from storage s ${matching}`, params)).rows[0]!.n as number;
  return { rows: rows.rows as StorageView[], count };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
