// Per-request DataLoaders: relations of a page of objects cost one query per relation, not one
// per object (no N+1), whatever the shape of the query.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessInfo as AccessInfoEntity, Storage as StorageEntity, type StoredEndpoint } from '../db/entities/index.js';
import type { Sql } from '../db/sql.js';
import type { SyncScheduleRow } from '../scheduler/schedule-mirror.js';
import type { ScheduleService } from './services/schedule-service.js';
import type { MetricsConfigService } from './services/metrics-config-service.js';
import type { MetricsConfig } from '../tasks/performance/metrics-config-store.js';
import type { Connection } from './types/connection.js';
import { pageRequest, toConnection } from './services/paging.js';

type Row = Record<string, unknown> & { id: string };

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A database row with snake_case columns as an object with the API's camelCase fields. */
export function fromRow(r: Record<string, unknown>): Row {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[camel(k)] = v;
  return out as Row;
}

export interface ChildPageKey {
  storageId: string;
  first?: number | null;
  after?: string | null;
}

export interface Loaders {
  storage: DataLoader<string, StorageEntity | null>;
  poolByNativeId: DataLoader<{ storageId: string; nativeId: string }, Row | null, string>;
  poolsOf: DataLoader<ChildPageKey, Connection<Row>, string>;
  volumesOf: DataLoader<ChildPageKey, Connection<Row>, string>;
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

function view(row: AccessInfoEntity | undefined): AccessInfoView {
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

export function createLoaders(em: EntityManager, sql: Sql, schedules: ScheduleService, metricsConfigs: MetricsConfigService): Loaders {
  return {
    storage: new DataLoader(async (ids) => {
      const rows = await em.find(StorageEntity, { id: { $in: [...ids] } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    poolByNativeId: new DataLoader(
      async (keys) => {
        const rows = await sql.query(
          `select p.* from storage_pool p join unnest($1::uuid[], $2::text[]) as k(storage_id, native_id)
             on p.storage_id = k.storage_id and p.native_storage_pool_id = k.native_id`,
          [keys.map((k) => k.storageId), keys.map((k) => k.nativeId)],
        );
        const found = new Map(rows.map((r) => [`${r.storage_id}/${r.native_storage_pool_id}`, fromRow(r)]));
        return keys.map((k) => found.get(`${k.storageId}/${k.nativeId}`) ?? null);
      },
      { cacheKeyFn: (k) => `${k.storageId}/${k.nativeId}` },
    ),
    accessInfoOf: new DataLoader(async (ids) => {
      const rows = await em.find(AccessInfoEntity, { storageId: { $in: [...ids] } });
      const byId = new Map(rows.map((r) => [r.storageId, r]));
      return ids.map((id) => view(byId.get(id)));
    }),
    syncScheduleOf: new DataLoader((ids) => schedules.schedulesOf(ids)),
    metricsConfigOf: new DataLoader((ids) => metricsConfigs.configsOf(ids)),
    poolsOf: childPages(sql, 'storage_pool'),
    volumesOf: childPages(sql, 'volume'),
  };
}

const pageKey = (k: ChildPageKey) => `${k.storageId}/${k.first ?? ''}/${k.after ?? ''}`;

/**
 * Pages of a storage's pools or volumes for many storages at once: one LATERAL query per
 * distinct (first, after) and one grouped count, instead of two queries per storage.
 */
function childPages(sql: Sql, table: 'storage_pool' | 'volume') {
  return new DataLoader<ChildPageKey, Connection<Row>, string>(
    async (keys) => {
      const groups = new Map<string, ChildPageKey[]>();
      for (const k of keys) {
        const g = `${k.first ?? ''}/${k.after ?? ''}`;
        groups.set(g, [...(groups.get(g) ?? []), k]);
      }
      const storageIds = [...new Set(keys.map((k) => k.storageId))];
      const counts = new Map(
        (await sql.query(`select storage_id, count(*)::int as n from ${table} where storage_id = any($1::uuid[]) group by storage_id`, [storageIds]))
          .map((r) => [r.storage_id as string, r.n as number]),
      );
      const results = new Map<string, Connection<Row>>();
      for (const group of groups.values()) {
        const page = pageRequest(group[0]!.first, group[0]!.after);
        const rows = await sql.query(
          `select c.* from unnest($1::uuid[]) as s(id) cross join lateral (
             select * from ${table} t where t.storage_id = s.id and ($2::uuid is null or t.id > $2::uuid)
             order by t.id limit $3) c`,
          [group.map((k) => k.storageId), page.afterId ?? null, page.limit + 1],
        );
        const byStorage = new Map<string, Row[]>();
        for (const r of rows) {
          const sid = r.storage_id as string;
          byStorage.set(sid, [...(byStorage.get(sid) ?? []), fromRow(r)]);
        }
        for (const k of group) {
          results.set(pageKey(k), toConnection(byStorage.get(k.storageId) ?? [], page.limit, counts.get(k.storageId) ?? 0));
        }
      }
      return keys.map((k) => results.get(pageKey(k))!);
    },
    { cacheKeyFn: pageKey },
  );
}
