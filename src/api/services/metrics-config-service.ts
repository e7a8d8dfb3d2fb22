// Metrics-config: how each storage's array, pools, volumes, disks, controllers and ports are polled for performance (the
// seed's PUT /v1/storages/{id}/metrics-config, which Delfin removed). The config lives in
// PostgreSQL alone; the scheduler is told and makes each enabled polling a repeating job. An
// update checks everything first (bad input changes nothing), then saves; a disabled resource
// type's series are retired from the exporters at once.
import type { Queryable, Sql } from '../../db/sql.js';
import { badInput, conflict, notFound } from '../../errors.js';
import type { MetricsRetired } from '../../exporters/metric-batch.js';
import { isId } from '../../lib/ids.js';
import { mustBeId } from './ids.js';
import type { Logger } from '../../logger.js';
import type { MetricsPolicy } from '../../metrics-policy.js';
import type { ScheduleNotice } from '../../bus/schedule-notice.js';
import {
  getMetricsConfigs,
  POLLINGS,
  saveMetricsConfig,
  type MetricsConfig,
  type PollingConfig,
} from '../../db/stores/metrics-config-store.js';
import type { MetricsConfigInput } from '../types/metrics.js';
import { deletingOf } from '../../db/stores/storage-store.js';

export interface MetricsConfigServiceDeps {
  sql: Sql;
  notice: ScheduleNotice;
  policy: MetricsPolicy;
  /** Tells every exporter to drop the series of a resource type no longer collected. */
  retire(what: MetricsRetired): void;
  logger: Logger;
}

const OFF: PollingConfig = { perfCollection: false, interval: 900, isHistoric: false };

export class MetricsConfigService {
  constructor(private readonly deps: MetricsConfigServiceDeps) {}

  /** A storage's config; one registered before collection existed has every polling off. */
  async get(storageId: string): Promise<MetricsConfig> {
    await this.mustExist(storageId);
    return (await this.configsOf([storageId]))[0]!;
  }

  async configsOf(storageIds: readonly string[]): Promise<MetricsConfig[]> {
    const rows = await getMetricsConfigs(this.deps.sql.q, storageIds);
    const byId = new Map(rows.map((r) => [r.storageId, r]));
    return storageIds.map((id) => byId.get(id) ?? offConfig(id));
  }

  async update(storageId: string, input: MetricsConfigInput): Promise<MetricsConfig> {
    mustBeId(storageId, 'storageId'); // found by the fuzz: a number reached PostgreSQL's uuid cast
    this.check(input);
    await this.mustNotBeDeleting(storageId);
    const [current] = (await this.configsOf([storageId])) as [MetricsConfig];
    const next: MetricsConfig = { ...current };
    for (const { key } of POLLINGS) if (input[key]) next[key] = { ...input[key]! };
    const saved = await saveMetricsConfig(this.deps.sql.q, next);
    if (!saved) throw notFound('storage', storageId); // deleted meanwhile: delete wins
    if (pollingChanged(current, saved)) await this.deps.notice.changed([storageId]);
    this.retireDisabled(current, saved);
    return saved;
  }

  /**
   * The policy's defaults for a storage being registered, in the registration's transaction.
   * The registration tells the scheduler once it committed; it never waits on the job store.
   */
  async applyDefaults(q: Queryable, storageId: string): Promise<void> {
    await saveMetricsConfig(q, { storageId, ...this.deps.policy.defaults });
  }

  private retireDisabled(from: MetricsConfig, to: MetricsConfig): void {
    for (const { key, resourceType } of POLLINGS) {
      if (from[key].perfCollection && !to[key].perfCollection) this.deps.retire({ storageId: to.storageId, resourceType });
    }
  }

  /** BAD_USER_INPUT naming the field, before anything changes. */
  check(input: MetricsConfigInput): void {
    const { minIntervalSeconds: min, maxIntervalSeconds: max } = this.deps.policy;
    const given = POLLINGS.filter(({ key }) => input[key]);
    if (given.length === 0) throw badInput(`Give at least one of ${POLLINGS.map((p) => p.key).join(', ')}.`, 'input');
    for (const { key } of given) {
      const interval = input[key]!.interval;
      if (!Number.isInteger(interval) || interval < min || interval > max) {
        throw badInput(`${key}.interval must be between ${min} and ${max} seconds; got ${interval}.`, `${key}.interval`);
      }
    }
  }

  private async mustExist(storageId: string): Promise<void> {
    const found = isId(storageId) && (await deletingOf(this.deps.sql.q, storageId)) !== undefined;
    if (!found) throw notFound('storage', storageId);
  }

  private async mustNotBeDeleting(storageId: string): Promise<void> {
    const deleting = await deletingOf(this.deps.sql.q, storageId);
    if (deleting === undefined) throw notFound('storage', storageId);
    if (deleting) throw conflict(`The storage ${storageId} is being deleted; its metrics-config cannot change.`);
  }
}

/** Whether a polling starts, stops or moves: what the scheduler must hear about. */
function pollingChanged(from: MetricsConfig, to: MetricsConfig): boolean {
  return POLLINGS.some(({ key }) => {
    const [a, b] = [from[key], to[key]];
    return a.perfCollection !== b.perfCollection || (b.perfCollection && a.interval !== b.interval);
  });
}

function offConfig(storageId: string): MetricsConfig {
  const config = { storageId } as MetricsConfig;
  for (const { key } of POLLINGS) config[key] = { ...OFF };
  return config;
}
