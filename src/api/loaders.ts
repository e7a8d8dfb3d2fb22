// Per-request DataLoaders: relations of a page of objects cost one query per relation, not one
// per object (no N+1), whatever the shape of the query. Every read goes through the stores'
// plain SQL on the process's one pool.
import DataLoader from 'dataloader';
import type { StoredEndpoint } from '../db/entities/index.js';
import type { Sql } from '../db/sql.js';
import { getStorages, type StorageView } from '../db/stores/storage-store.js';
import { getAccessInfos, type StoredAccess } from '../db/stores/access-info-store.js';
import { poolPagesOf, poolsByNativeId, type PoolView } from '../db/stores/pool-store.js';
import { volumePagesOf, type VolumeView } from '../db/stores/volume-store.js';
import { diskPagesOf, type DiskView } from '../db/stores/disk-store.js';
import { controllerPagesOf, type ControllerView } from '../db/stores/controller-store.js';
import { portPagesOf, type PortView } from '../db/stores/port-store.js';
import type { Page } from '../db/stores/row-views.js';
import type { SyncScheduleRow } from '../db/stores/sync-schedule-store.js';
import type { ScheduleService } from './services/schedule-service.js';
import type { MetricsConfigService } from './services/metrics-config-service.js';
import type { MetricsConfig } from '../db/stores/metrics-config-store.js';
import type { Connection } from './types/connection.js';
import { pageRequest, toConnection } from './services/paging.js';

export interface ChildPageKey {
  storageId: string;
  first?: number | null;
  after?: string | null;
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
    poolsOf: childPages((ids, page) => poolPagesOf(sql.q, ids, page)),
    volumesOf: childPages((ids, page) => volumePagesOf(sql.q, ids, page)),
    disksOf: childPages((ids, page) => diskPagesOf(sql.q, ids, page)),
    controllersOf: childPages((ids, page) => controllerPagesOf(sql.q, ids, page)),
    portsOf: childPages((ids, page) => portPagesOf(sql.q, ids, page)),
  };
}

const pageKey = (k: ChildPageKey) => `${k.storageId}/${k.first ?? ''}/${k.after ?? ''}`;

type PagesOf<R> = (storageIds: string[], page: Page) => Promise<{ rows: Map<string, R[]>; totals: Map<string, number> }>;

/**
 * Pages of a storage's pools, volumes, disks, controllers or ports for many storages at once: one LATERAL query per
 * distinct (first, after) and one grouped count, instead of two queries per storage.
 */
function childPages<R extends { id: string }>(pagesOf: PagesOf<R>) {
  return new DataLoader<ChildPageKey, Connection<R>, string>(
    async (keys) => {
      const groups = new Map<string, ChildPageKey[]>();
      for (const k of keys) {
        const g = `${k.first ?? ''}/${k.after ?? ''}`;
        groups.set(g, [...(groups.get(g) ?? []), k]);
      }
      const results = new Map<string, Connection<R>>();
      for (const group of groups.values()) {
        const page = pageRequest(group[0]!.first, group[0]!.after);
        const { rows, totals } = await pagesOf([...new Set(group.map((k) => k.storageId))], page);
        for (const k of group) results.set(pageKey(k), toConnection(rows.get(k.storageId) ?? [], page.limit, totals.get(k.storageId) ?? 0));
      }
      return keys.map((k) => results.get(pageKey(k))!);
    },
    { cacheKeyFn: pageKey },
  );
}
