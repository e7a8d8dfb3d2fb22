// Per-request DataLoaders: relations of a page of objects cost one query per relation, not one
// per object (no N+1), whatever the shape of the query. Every read goes through the stores'
// plain SQL on the process's one pool.
import DataLoader from 'dataloader';
import type { StoredEndpoint } from '../db/entities/index.js';
import type { Sql } from '../db/sql.js';
import { getStorages, type StorageView } from '../db/stores/storage-store.js';
import { getAccessInfos, type StoredAccess } from '../db/stores/access-info-store.js';
import { poolRows, poolsByNativeId, type PoolView } from '../db/stores/pool-store.js';
import { volumeRows, type VolumeFilter, type VolumeView } from '../db/stores/volume-store.js';
import { diskRows, type DiskView } from '../db/stores/disk-store.js';
import { controllerRows, type ControllerView } from '../db/stores/controller-store.js';
import { portRows, type PortView } from '../db/stores/port-store.js';
import type { ChildRows, Keyed, Where } from '../db/stores/row-views.js';
import type { SyncScheduleRow } from '../db/stores/sync-schedule-store.js';
import type { ScheduleService } from './services/schedule-service.js';
import type { MetricsConfigService } from './services/metrics-config-service.js';
import type { MetricsConfig } from '../db/stores/metrics-config-store.js';
import type { Connection } from './types/connection.js';
import { encodeOrderedCursor, pageRequest, toConnection } from './services/paging.js';
import { lookupKey, volumeLookup, type VolumeLookup, type VolumeOrderInput } from './services/volume-lookup.js';

export interface ChildPageKey {
  storageId: string;
  first?: number | null;
  after?: string | null;
  /** Volumes only. */
  filter?: VolumeFilter | null;
  orderBy?: VolumeOrderInput | null;
}

export interface Loaders {
  storage: DataLoader<string, StorageView | null>;
  poolByNativeId: DataLoader<{ storageId: string; nativeId: string }, PoolView | null, string>;
  poolsOf: DataLoader<ChildPageKey, Connection<PoolView>, string>;
  volumesOf: DataLoader<ChildPageKey, Connection<VolumeView>, string>;
  disksOf: DataLoader<ChildPageKey, Connection<DiskView>, string>;
  controllersOf: DataLoader<ChildPageKey, Connection<ControllerView>, string>;
  portsOf: DataLoader<ChildPageKey, Connection<PortView>, string>;
  accessInfoOf: DataLoader<string, AccessInfoView>;
  syncScheduleOf: DataLoader<string, SyncScheduleRow | null>;
  metricsConfigOf: DataLoader<string, MetricsConfig>;
}

/** Access info as the API shows it: endpoints without their secrets. */
export interface AccessInfoView {
  rest:
    | { host: string; port: number; username: string; verifyTls: boolean; caCertificate: string | null; certificateFingerprint: string | null }
    | null;
  ssh: { host: string; port: number; username: string } | null;
  extraAttributes: Record<string, unknown> | null;
}

function view(row: StoredAccess | undefined): AccessInfoView {
  const endpoint = (e?: StoredEndpoint | null) => (e ? { host: e.host, port: e.port, username: e.username } : null);
  const rest = row?.rest
    ? {
        ...endpoint(row.rest)!,
        verifyTls: row.rest.verifyTls !== false,
        caCertificate: row.rest.caCertificate ?? null,
        certificateFingerprint: row.rest.certificateFingerprint ?? null,
      }
    : null;
  return { rest, ssh: endpoint(row?.ssh), extraAttributes: row?.extraAttributes ?? null };
}

export function createLoaders(sql: Sql, schedules: ScheduleService, metricsConfigs: MetricsConfigService): Loaders {
  return {
    storage: new DataLoader(async (ids) => {
      const byId = new Map((await getStorages(sql.q, ids)).map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    poolByNativeId: new DataLoader(
      async (keys) => {
        const found = new Map((await poolsByNativeId(sql.q, keys)).map((p) => [`${p.storageId}/${p.nativeStoragePoolId}`, p]));
        return keys.map((k) => found.get(`${k.storageId}/${k.nativeId}`) ?? null);
      },
      { cacheKeyFn: (k) => `${k.storageId}/${k.nativeId}` },
    ),
    accessInfoOf: new DataLoader(async (ids) => {
      const byId = new Map((await getAccessInfos(sql.q, ids)).map((r) => [r.storageId, r]));
      return ids.map((id) => view(byId.get(id)));
    }),
    syncScheduleOf: new DataLoader((ids) => schedules.schedulesOf(ids)),
    metricsConfigOf: new DataLoader((ids) => metricsConfigs.configsOf(ids)),
    poolsOf: childPages(sql, poolRows),
    volumesOf: childPages(sql, volumeRows, (k) => volumeLookup(k.filter, k.orderBy)),
    disksOf: childPages(sql, diskRows),
    controllersOf: childPages(sql, controllerRows),
    portsOf: childPages(sql, portRows),
  };
}

/** Requests that ask the same of different storages: the same page, filter and order. */
const groupKey = (k: ChildPageKey) => `${k.first ?? ''}/${k.after ?? ''}/${k.filter || k.orderBy ? lookupKey(k.filter, k.orderBy) : ''}`;
const pageKey = (k: ChildPageKey) => `${k.storageId}/${groupKey(k)}`;

/**
 * Pages of a storage's pools, volumes, disks, controllers or ports for many storages at once: one
 * LATERAL query per distinct (first, after, filter, order) instead of one per storage. Their
 * totalCounts, if selected, are batched the same way: one grouped count per distinct filter.
 */
function childPages<R extends { id: string; storageId: string }>(sql: Sql, table: ChildRows<R>, lookupOf: (k: ChildPageKey) => VolumeLookup = () => ({})) {
  const counts = childCounts(sql, table);

  /** The connections of one group (same page, filter and order) of requests, by pageKey. */
  async function pagesOfGroup(group: ChildPageKey[]): Promise<Array<[string, Connection<R>]>> {
    const { where, order, cursorOrder } = lookupOf(group[0]!);
    const page = pageRequest(group[0]!.first, group[0]!.after, cursorOrder);
    const rows = await table.pagesOf(sql.q, [...new Set(group.map((k) => k.storageId))], { where, order, page });
    const cursorOf = cursorOrder ? (r: Keyed<R>) => encodeOrderedCursor(cursorOrder, r.orderKey!, r.id) : undefined;
    const filterKey = lookupKey(group[0]!.filter);
    return group.map((k) => {
      const count = () => counts.load({ storageId: k.storageId, filterKey, where });
      return [pageKey(k), toConnection(rows.get(k.storageId) ?? [], page.limit, count, cursorOf)];
    });
  }

  return new DataLoader<ChildPageKey, Connection<R>, string>(
    async (keys) => {
      const groups = new Map<string, ChildPageKey[]>();
      for (const k of keys) groups.set(groupKey(k), [...(groups.get(groupKey(k)) ?? []), k]);
      const results = new Map<string, Connection<R> | Error>();
      for (const group of groups.values()) {
        try {
          for (const [key, connection] of await pagesOfGroup(group)) results.set(key, connection);
        } catch (err) {
          // A bad cursor fails its own group's requests only.
          for (const k of group) results.set(pageKey(k), err as Error);
        }
      }
      return keys.map((k) => results.get(pageKey(k))!);
    },
    { cacheKeyFn: pageKey },
  );
}

interface CountKey {
  storageId: string;
  filterKey: string;
  where?: Where;
}

/** How many rows of each storage match a filter: one grouped query per distinct filter. */
function childCounts<R>(sql: Sql, table: ChildRows<R>) {
  return new DataLoader<CountKey, number, string>(
    async (keys) => {
      const groups = new Map<string, CountKey[]>();
      for (const k of keys) groups.set(k.filterKey, [...(groups.get(k.filterKey) ?? []), k]);
      const found = new Map<string, number>();
      for (const [filterKey, group] of groups) {
        const counts = await table.countsOf(sql.q, [...new Set(group.map((k) => k.storageId))], group[0]!.where);
        for (const k of group) found.set(`${k.storageId}/${filterKey}`, counts.get(k.storageId) ?? 0);
      }
      return keys.map((k) => found.get(`${k.storageId}/${k.filterKey}`)!);
    },
    { cacheKeyFn: (k) => `${k.storageId}/${k.filterKey}` },
  );
}
