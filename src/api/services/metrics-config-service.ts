// Metrics-config: how each storage's array, pools and volumes are polled for performance (the
// seed's PUT /v1/storages/{id}/metrics-config, which Delfin removed). The config lives in
// PostgreSQL; each enabled polling is a repeating job in the scheduler's store. An update checks
// everything first (bad input changes nothing), moves the jobs, then saves; a disabled resource
// type's series are retired from the exporters at once.
import type { Sql } from '../../db/sql.js';
import type { ResourceType } from '../../drivers/driver.js';
import { badInput, conflict, notFound } from '../../errors.js';
import type { MetricsRetired } from '../../exporters/metric-batch.js';
import { isId } from '../../lib/ids.js';
import type { Logger } from '../../logger.js';
import type { MetricsPolicy } from '../../metrics-policy.js';
import type { ScheduleClient } from '../../scheduler/schedule-client.js';
import {
  getMetricsConfigs,
  POLLINGS,
  saveMetricsConfig,
  type MetricsConfig,
  type PollingConfig,
} from '../../tasks/performance/metrics-config-store.js';
import type { MetricsConfigInput } from '../types/metrics.js';

export interface MetricsConfigServiceDeps {
  sql: Sql;
  client: ScheduleClient;
  policy: MetricsPolicy;
  /** Tells every exporter to drop the series of a resource type no longer collected. */
  retire(what: MetricsRetired): void;
  logger: Logger;
}

const OFF: PollingConfig = { perfCollection: false, interval: 900, isHistoric: false };

export class MetricsConfigService {
  /** Default jobs still being created, so an update right after a registration comes after them. */
  private readonly defaultsPending = new Map<string, Promise<void>>();

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
    this.check(input);
    await this.defaultsPending.get(storageId);
    await this.mustNotBeDeleting(storageId);
    const [current] = (await this.configsOf([storageId])) as [MetricsConfig];
    const next: MetricsConfig = { ...current };
    for (const { key } of POLLINGS) if (input[key]) next[key] = { ...input[key]! };
    await this.reschedule(current, next);
    const saved = await saveMetricsConfig(this.deps.sql.q, next);
    if (!saved) {
      // Deleted meanwhile: delete wins, the jobs go too.
      await this.deps.client.removeStorage(storageId).catch(() => undefined);
      throw notFound('storage', storageId);
    }
    this.retireDisabled(current, saved);
    return saved;
  }

  /**
   * The policy's defaults for a storage just registered. The config is saved at once; its jobs
   * are created behind the answer, so a registration never waits on the scheduler's job store.
   * If that store fails, the scheduler creates them when it reconciles (reconcile-polling, every
   * minute): the config in PostgreSQL is what counts.
   */
  async applyDefaults(storageId: string): Promise<void> {
    const config: MetricsConfig = { storageId, ...this.deps.policy.defaults };
    await saveMetricsConfig(this.deps.sql.q, config);
    const scheduling = this.reschedule(offConfig(storageId), config)
      .catch((err: Error) =>
        this.deps.logger.warn({ storageId, err: err.message }, 'performance polling not scheduled yet; the scheduler will when it reconciles'),
      )
      .finally(() => this.defaultsPending.delete(storageId));
    this.defaultsPending.set(storageId, scheduling);
  }

  /** Every polling whose job must change; if the store fails part-way, the changed ones go back. */
  private async reschedule(from: MetricsConfig, to: MetricsConfig): Promise<void> {
    const done: ResourceType[] = [];
    try {
      for (const { key, resourceType } of POLLINGS) {
        const [a, b] = [from[key], to[key]];
        if (a.perfCollection === b.perfCollection && (!b.perfCollection || a.interval === b.interval)) continue;
        await this.deps.client.setPolling(to.storageId, resourceType, b.interval, b.perfCollection);
        done.push(resourceType);
      }
    } catch (err) {
      for (const { key, resourceType } of POLLINGS.filter((p) => done.includes(p.resourceType))) {
        await this.deps.client.setPolling(from.storageId, resourceType, from[key].interval, from[key].perfCollection).catch(() => undefined);
      }
      throw err;
    }
  }

  private retireDisabled(from: MetricsConfig, to: MetricsConfig): void {
    for (const { key, resourceType } of POLLINGS) {
      if (from[key].perfCollection && !to[key].perfCollection) this.deps.retire({ storageId: to.storageId, resourceType });
    }
  }

  /** BAD_USER_INPUT naming the field, before anything changes. */
  private check(input: MetricsConfigInput): void {
    const { minIntervalSeconds: min, maxIntervalSeconds: max } = this.deps.policy;
    const given = POLLINGS.filter(({ key }) => input[key]);
    if (given.length === 0) throw badInput('Give at least one of arrayPolling, poolPolling and volumePolling.', 'input');
    for (const { key } of given) {
      const interval = input[key]!.interval;
      if (!Number.isInteger(interval) || interval < min || interval > max) {
        throw badInput(`${key}.interval must be between ${min} and ${max} seconds; got ${interval}.`, `${key}.interval`);
      }
    }
  }

  private async mustExist(storageId: string): Promise<void> {
    const found = isId(storageId) && (await this.deps.sql.query('select 1 from storage where id = $1', [storageId])).length > 0;
    if (!found) throw notFound('storage', storageId);
  }

  private async mustNotBeDeleting(storageId: string): Promise<void> {
    const [row] = await this.deps.sql.query('select deleting from storage where id = $1', [storageId]);
    if (!row) throw notFound('storage', storageId);
    if (row.deleting) throw conflict(`The storage ${storageId} is being deleted; its metrics-config cannot change.`);
  }
}

function offConfig(storageId: string): MetricsConfig {
  return { storageId, arrayPolling: { ...OFF }, poolPolling: { ...OFF }, volumePolling: { ...OFF } };
}
