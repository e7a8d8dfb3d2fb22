// The metrics_config table: each storage's polling config per resource type (the seed's
// metrics-config: array, pool and volume polling, and the contract's disk, controller and port
// polling, each {perfCollection, interval, isHistoric}).
import type { Queryable } from '../sql.js';
import type { ResourceType } from '../../drivers/driver.js';

export interface PollingConfig {
  perfCollection: boolean;
  interval: number;
  isHistoric: boolean;
}

export interface MetricsConfig {
  storageId: string;
  arrayPolling: PollingConfig;
  poolPolling: PollingConfig;
  volumePolling: PollingConfig;
  diskPolling: PollingConfig;
  controllerPolling: PollingConfig;
  portPolling: PollingConfig;
}

export type PollingKey = 'arrayPolling' | 'poolPolling' | 'volumePolling' | 'diskPolling' | 'controllerPolling' | 'portPolling';

/** Which polling config governs which resource type, and its column prefix. */
export const POLLINGS: ReadonlyArray<{ key: PollingKey; resourceType: ResourceType; column: string }> = [
  { key: 'arrayPolling', resourceType: 'STORAGE', column: 'array' },
  { key: 'poolPolling', resourceType: 'STORAGE_POOL', column: 'pool' },
  { key: 'volumePolling', resourceType: 'VOLUME', column: 'volume' },
  { key: 'diskPolling', resourceType: 'DISK', column: 'disk' },
  { key: 'controllerPolling', resourceType: 'CONTROLLER', column: 'controller' },
  { key: 'portPolling', resourceType: 'PORT', column: 'port' },
];

export const pollingOf = (c: MetricsConfig, t: ResourceType): PollingConfig => c[POLLINGS.find((p) => p.resourceType === t)!.key];

const COLUMNS = ['storage_id', ...POLLINGS.flatMap(({ column: c }) => [`${c}_perf_collection`, `${c}_interval`, `${c}_is_historic`])];

function fromRow(r: Record<string, unknown>): MetricsConfig {
  const polling = (c: string): PollingConfig => ({
    perfCollection: Boolean(r[`${c}_perf_collection`]),
    interval: Number(r[`${c}_interval`]),
    isHistoric: Boolean(r[`${c}_is_historic`]),
  });
  const config = { storageId: r.storage_id as string } as MetricsConfig;
  for (const { key, column } of POLLINGS) config[key] = polling(column);
  return config;
}

function values(c: MetricsConfig): unknown[] {
  return [c.storageId, ...POLLINGS.flatMap(({ key }) => [c[key].perfCollection, c[key].interval, c[key].isHistoric])];
}

export async function getMetricsConfigs(q: Queryable, storageIds: readonly string[]): Promise<MetricsConfig[]> {
  const { rows } = await q.query(`select ${COLUMNS.join(', ')} from metrics_config where storage_id = any($1::uuid[])`, [storageIds]);
  return rows.map(fromRow);
}

export async function getMetricsConfig(q: Queryable, storageId: string): Promise<MetricsConfig | undefined> {
  return (await getMetricsConfigs(q, [storageId]))[0];
}

/** Creates or replaces a storage's config; undefined when the storage is gone or being deleted. */
export async function saveMetricsConfig(q: Queryable, c: MetricsConfig): Promise<MetricsConfig | undefined> {
  const params = COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
  const updates = COLUMNS.slice(1).map((col) => `${col} = excluded.${col}`).join(', ');
  const { rows } = await q.query(
    `insert into metrics_config (${COLUMNS.join(', ')})
     select ${params} where exists (select 1 from storage where id = $1 and not deleting)
     on conflict (storage_id) do update set ${updates}, updated_at = now()
     returning ${COLUMNS.join(', ')}`,
    values(c),
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}
