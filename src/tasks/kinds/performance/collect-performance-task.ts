// COLLECT_PERFORMANCE: one performance poll of one resource type of a storage. It plans its
// windows from where the last poll stopped (./performance/collection-windows.ts), asks the
// driver for each (retrying a failed window with back-off, then recording it as lost), hands
// the samples to the exporters and moves the mark forward. A poll redelivered after a crash
// starts from the mark: what was exported is not lost, at most sent twice (at-least-once).
import type { CollectionRecord, LostWindow } from '../../../db/entities/index.js';
import type { ResourceType, StorageDriver } from '../../../drivers/driver.js';
import { toBatches } from '../../../exporters/metric-batch.js';
import { BaseTask, type TaskOutcome } from '../../runtime/base-task.js';
import { advanceCollectedUntil, collectedUntil } from '../../../db/stores/collection-state-store.js';
import { planWindows, type Window } from './collection-windows.js';
import { getMetricsConfig, pollingOf, type PollingConfig } from '../../../db/stores/metrics-config-store.js';
import { resourceNames, storageLabels, type StorageLabels } from './resource-labels.js';
import { withRetries } from './retry-window.js';
import type { TaskContext } from '../../runtime/task-context.js';
import { TaskStopped } from '../../runtime/task-stopped.js';

const iso = (ms: number) => new Date(ms).toISOString();

export class CollectPerformanceTask extends BaseTask {
  readonly kind = 'COLLECT_PERFORMANCE' as const;
  override readonly options = { stopsWhenStorageDeleted: true, leased: false };

  async perform(ctx: TaskContext): Promise<TaskOutcome> {
    const type = ctx.task.resourceType as ResourceType | null;
    if (!type) throw new Error('a performance poll without a resource type');
    const config = await getMetricsConfig(ctx.sql.q, ctx.storageId);
    const labels = await storageLabels(ctx.sql.q, ctx.storageId);
    if (!config || !labels) throw new TaskStopped('the storage is being deleted', 'cancel');
    const polling = pollingOf(config, type);
    if (!polling.perfCollection) return { message: `performance collection of ${type} is disabled` };

    const record = await this.plan(ctx, type, polling);
    const driver = await ctx.services.devices.open(ctx.storageId);
    try {
      const metrics = await this.metricsOf(driver, type);
      if (metrics.length === 0) return { message: `the driver collects no metric of ${type}`, collection: publicRecord(record) };
      const names = await resourceNames(ctx.sql.q, ctx.storageId, type, labels);
      await this.collect(ctx, driver, { type, polling, labels, metrics, names, record });
    } finally {
      await driver.close().catch(() => undefined);
    }
    return { message: summary(record), collection: publicRecord(record) };
  }

  private async plan(ctx: TaskContext, type: ResourceType, polling: PollingConfig): Promise<CollectionRecord & { windows: Window[] }> {
    const m = ctx.services.policy.metrics;
    const plan = planWindows({
      now: Date.now(),
      collectedUntil: await collectedUntil(ctx.sql.q, ctx.storageId, type),
      intervalSeconds: polling.interval,
      isHistoric: polling.isHistoric,
      overlapSeconds: m.overlapSeconds,
      horizonSeconds: m.historyHorizonSeconds,
      chunkSeconds: m.chunkSeconds,
    });
    const skipped = plan.skipped && {
      start: iso(plan.skipped.start),
      end: iso(plan.skipped.end),
      reason: polling.isHistoric ? 'beyond the back-fill horizon' : 'downtime of a poll without isHistoric: only the latest window is collected',
    };
    return {
      windows: plan.windows,
      resourceType: type,
      windowsPlanned: plan.windows.length,
      windowsCollected: 0,
      samples: 0,
      retries: 0,
      collectedFrom: plan.windows[0] ? iso(plan.windows[0].start) : null,
      collectedUntil: null,
      lostWindows: [],
      skipped: skipped ?? null,
    };
  }

  private async metricsOf(driver: StorageDriver, type: ResourceType): Promise<string[]> {
    const caps = await driver.capabilities();
    return (caps.metrics[type] ?? []).map((m) => m.name);
  }

  private async collect(ctx: TaskContext, driver: StorageDriver, p: Poll): Promise<void> {
    const { windowAttempts, backoffMs } = ctx.services.policy.metrics;
    const { record } = p;
    for (const [i, window] of record.windows.entries()) {
      await ctx.checkpoint();
      const got = await withRetries(() => driver.collectPerfMetrics(p.type, p.metrics, { start: new Date(window.start), end: new Date(window.end) }), windowAttempts, backoffMs, ctx.signal, (err, attempt) =>
        ctx.services.logger.info({ taskId: ctx.task.id, attempt, err: err.message }, 'performance window failed; trying again'),
      );
      ctx.throwIfHandedBack();
      record.retries += got.retries;
      if (got.ok) {
        const batches = toBatches(this.header(ctx, p, window), got.value, p.names);
        await ctx.services.metrics?.dispatch(batches);
        record.windowsCollected++;
        record.samples += got.value.reduce((n, s) => n + s.values.length, 0);
      } else {
        record.lostWindows.push(lost(window, got.error, windowAttempts));
      }
      record.collectedUntil = iso(window.end);
      // The mark and the task's record move together, in one transaction.
      await ctx.step(async (q) => {
        await advanceCollectedUntil(q, ctx.storageId, p.type, window.end);
        return { progress: (i + 1) / record.windows.length, phase: 'metrics', message: summary(record), collection: publicRecord(record) };
      });
    }
  }

  private header(ctx: TaskContext, p: Poll, window: Window) {
    return {
      storageId: ctx.storageId,
      storageName: p.labels.name,
      serialNumber: p.labels.serialNumber,
      resourceType: p.type,
      intervalSeconds: p.polling.interval,
      window: { start: window.start, end: window.end },
    };
  }
}

interface Poll {
  type: ResourceType;
  polling: PollingConfig;
  labels: StorageLabels;
  metrics: string[];
  names: Map<string, string>;
  record: CollectionRecord & { windows: Window[] };
}

function lost(window: Window, error: Error, attempts: number): LostWindow {
  return { start: iso(window.start), end: iso(window.end), reason: `failed ${attempts} time${attempts === 1 ? '' : 's'}: ${error.message}` };
}

/** The record without the plan's windows (they are many for a long back-fill). */
function publicRecord(r: CollectionRecord & { windows?: Window[] }): CollectionRecord {
  const { windows: _windows, ...rest } = r;
  return rest;
}

function summary(r: CollectionRecord): string {
  const lostPart = r.lostWindows.length ? `, ${r.lostWindows.length} lost` : '';
  return `${r.samples} samples in ${r.windowsCollected} of ${r.windowsPlanned} windows${lostPart}`;
}
