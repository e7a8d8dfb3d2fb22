// A poll of a counter-based driver (capabilities().cumulativeCounters, e.g. Swordfish): one
// reading of the counters now, turned into rates against the readings the last poll kept in
// PostgreSQL (whichever worker made them, before a restart or not). The new readings are kept
// in the same transaction that moves the mark and records the window. A failed reading cannot
// be read again later: the readings and the mark stay, so the next good reading covers the gap
// as one window. A resource whose counters went down has no sample for that window: it is
// recorded in Task.collection.counterResets, never a negative rate.
import type { CounterState, StorageDriver } from '../../../drivers/driver.js';
import { advanceCollectedUntil } from '../../../db/stores/collection-state-store.js';
import { counterReadings, saveCounterReadings } from '../../../db/stores/counter-reading-store.js';
import type { TaskContext } from '../../runtime/task-context.js';
import { withRetries } from './retry-window.js';
import { UnreachableError } from '../../../drivers/driver-error.js';
import { iso, plural, publicRecord, summary } from './collection-record.js';
import { exportSeries, type Poll } from './export-window.js';

export async function collectCounters(ctx: TaskContext, driver: StorageDriver, p: Poll): Promise<void> {
  const { windowAttempts, backoffMs } = ctx.services.policy.metrics;
  const { record } = p;
  const window = record.windows[0]!;
  await ctx.checkpoint();
  const counters: CounterState = { previous: await counterReadings(ctx.sql.q, ctx.storageId, p.type) };
  const got = await withRetries(() => driver.collectPerfMetrics(p.type, p.metrics, { start: new Date(window.start), end: new Date(window.end) }, counters), windowAttempts, backoffMs, ctx.signal, (err, attempt) =>
    ctx.services.logger.info({ taskId: ctx.task.id, attempt, err: err.message }, 'counter reading failed; trying again'),
  );
  ctx.throwIfHandedBack();
  record.retries += got.retries;
  const done = () => ({ progress: 1, phase: 'metrics', message: summary(record), collection: publicRecord(record) });
  if (!got.ok) {
    const reason = `failed ${plural(windowAttempts, 'time')}: ${got.error.message}; counters cannot be read for the past, the next reading covers this time`;
    record.retriedWindows.push({ start: iso(window.start), end: iso(window.end), tries: 1, nextTryAt: null, reason });
    await ctx.step(async () => done());
    // An array out of reach fails the poll: the storage goes OFFLINE (the task runner's rule).
    if (got.error instanceof UnreachableError) throw got.error;
    return;
  }
  await exportSeries(ctx, p, window, got.value);
  for (const reset of counters.resets ?? []) {
    record.counterResets.push({ resourceId: reset.resourceId, start: iso(reset.from), end: iso(reset.to), counters: reset.counters });
  }
  if (record.counterResets.length > 0) {
    ctx.services.logger.warn({ taskId: ctx.task.id, storageId: ctx.storageId, resets: record.counterResets }, 'performance counters went down: those windows have no sample');
  }
  record.collectedUntil = iso(window.end);
  await ctx.step(async (q) => {
    await saveCounterReadings(q, ctx.storageId, p.type, counters.current ?? []);
    await advanceCollectedUntil(q, ctx.storageId, p.type, window.end);
    return done();
  });
}
