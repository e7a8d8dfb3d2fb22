// COLLECT_PERFORMANCE: one performance poll of one resource type of a storage. It plans its
// windows from where the last poll stopped (./collection-windows.ts), first tries again the
// windows that failed in earlier polls and are due (./window-retries.ts), then asks the driver
// for each new window (retrying a failed one with a short back-off, then keeping it in the
// durable retry list). A counter-based driver is read once per poll against the readings the
// last poll kept (./counter-collection.ts). Samples go to the exporters and the mark moves
// forward with the record, in one transaction per window. A poll redelivered after a crash
// starts from the mark: what was exported is not lost, at most sent twice (at-least-once).
import type { ResourceType, StorageDriver } from '../../../drivers/driver.js';
import { BaseTask, type TaskOutcome } from '../../runtime/base-task.js';
import { advanceCollectedUntil, collectedUntil } from '../../../db/stores/collection-state-store.js';
import { dropFailedWindow, dueWindows, keepFailedWindow, type FailedWindow } from '../../../db/stores/window-retry-store.js';
import { counterWindow, planWindows, type Window } from './collection-windows.js';
import { getMetricsConfig, pollingOf, type PollingConfig } from '../../../db/stores/metrics-config-store.js';
import { resourceNames, storageLabels } from './resource-labels.js';
import { withRetries } from './retry-window.js';
import { afterFailure } from './window-retries.js';
import { iso, newRecord, plural, publicRecord, summary, type WorkingRecord } from './collection-record.js';
import { exportSeries, type Poll } from './export-window.js';
import { collectCounters } from './counter-collection.js';
import type { TaskContext } from '../../runtime/task-context.js';
import { TaskStopped } from '../../runtime/task-stopped.js';
import { UnreachableError } from '../../../drivers/driver-error.js';

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

    const driver = await ctx.services.devices.open(ctx.storageId);
    try {
      const caps = await driver.capabilities();
      const metrics = (caps.metrics[type] ?? []).map((m) => m.name);
      const counters = caps.cumulativeCounters === true;
      const record = counters ? await this.planCounters(ctx, type, polling) : await this.plan(ctx, type, polling);
      if (metrics.length === 0) return { message: `the driver collects no metric of ${type}`, collection: publicRecord(record) };
      const names = await resourceNames(ctx.sql.q, ctx.storageId, type, labels);
      const poll: Poll = { type, polling, labels, metrics, names, record };
      if (counters) {
        await collectCounters(ctx, driver, poll);
      } else {
        await this.retryDue(ctx, driver, poll);
        await this.collect(ctx, driver, poll);
      }
      return { message: summary(record), collection: publicRecord(record) };
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  private async plan(ctx: TaskContext, type: ResourceType, polling: PollingConfig): Promise<WorkingRecord> {
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
    return newRecord(type, plan.windows, skipped ?? null);
  }

  private async planCounters(ctx: TaskContext, type: ResourceType, polling: PollingConfig): Promise<WorkingRecord> {
    const window = counterWindow(Date.now(), await collectedUntil(ctx.sql.q, ctx.storageId, type), polling.interval);
    return newRecord(type, [window], null);
  }

  /** Windows of earlier polls whose next try is due: collected now, kept for later, or lost. */
  private async retryDue(ctx: TaskContext, driver: StorageDriver, p: Poll): Promise<void> {
    const due = await dueWindows(ctx.sql.q, ctx.storageId, p.type, Date.now());
    p.record.windowsPlanned += due.length;
    for (const failed of due) {
      await ctx.checkpoint();
      const got = await this.ask(ctx, driver, p, failed);
      if (got.ok) {
        await exportSeries(ctx, p, failed, got.value);
        p.record.recoveredWindows.push({ start: iso(failed.start), end: iso(failed.end), tries: failed.tries + 1 });
        await ctx.step(async (q) => {
          await dropFailedWindow(q, ctx.storageId, p.type, failed.start);
          return this.progress(p.record, 0);
        });
      } else {
        await this.failed(ctx, p, failed, got.error, 0);
      }
    }
  }

  private async collect(ctx: TaskContext, driver: StorageDriver, p: Poll): Promise<void> {
    const { record } = p;
    for (const [i, window] of record.windows.entries()) {
      await ctx.checkpoint();
      const got = await this.ask(ctx, driver, p, window);
      record.collectedUntil = iso(window.end);
      const progress = (i + 1) / record.windows.length;
      if (got.ok) {
        await exportSeries(ctx, p, window, got.value);
        // The mark and the task's record move together, in one transaction.
        await ctx.step(async (q) => {
          await advanceCollectedUntil(q, ctx.storageId, p.type, window.end);
          return this.progress(record, progress);
        });
      } else {
        await this.failed(ctx, p, window, got.error, progress, window.end);
      }
    }
  }

  /** One window of the driver, with the policy's quick retries within the poll. */
  private async ask(ctx: TaskContext, driver: StorageDriver, p: Poll, window: Window) {
    const { windowAttempts, backoffMs } = ctx.services.policy.metrics;
    const got = await withRetries(() => driver.collectPerfMetrics(p.type, p.metrics, { start: new Date(window.start), end: new Date(window.end) }), windowAttempts, backoffMs, ctx.signal, (err, attempt) =>
      ctx.services.logger.info({ taskId: ctx.task.id, attempt, err: err.message }, 'performance window failed; trying again'),
    );
    ctx.throwIfHandedBack();
    p.record.retries += got.retries;
    return got;
  }

  /** A window failed this poll: into (or kept in) the retry list, or lost past the horizon. */
  private async failed(ctx: TaskContext, p: Poll, window: Window & Partial<FailedWindow>, error: Error, progress: number, markTo?: number): Promise<void> {
    const { windowRetry, windowAttempts } = ctx.services.policy.metrics;
    const outcome = afterFailure(windowRetry, window, Date.now(), error.message);
    const w = outcome.window;
    const tried = w.tries === 1 ? `failed ${plural(windowAttempts, 'time')}` : `failed in ${w.tries} polls (${plural(windowAttempts, 'time')} each)`;
    if (outcome.lost) p.record.lostWindows.push({ start: iso(w.start), end: iso(w.end), reason: `${tried}: ${error.message}` });
    else p.record.retriedWindows.push({ start: iso(w.start), end: iso(w.end), tries: w.tries, nextTryAt: iso(w.nextTryAt), reason: error.message });
    await ctx.step(async (q) => {
      if (outcome.lost) await dropFailedWindow(q, ctx.storageId, p.type, w.start);
      else await keepFailedWindow(q, ctx.storageId, p.type, w);
      if (markTo !== undefined) await advanceCollectedUntil(q, ctx.storageId, p.type, markTo);
      return this.progress(p.record, progress);
    });
    // An array out of reach fails the poll (the storage goes OFFLINE); its window waits in the
    // retry list, and the windows after it are planned again by the next poll.
    if (error instanceof UnreachableError) throw error;
  }

  private progress(record: WorkingRecord, progress: number) {
    return { progress, phase: 'metrics', message: summary(record), collection: publicRecord(record) };
  }
}
