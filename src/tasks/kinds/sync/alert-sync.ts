// The device's own alerts, read on each sync (the first one follows registration) for drivers
// that list them: alerts raised while no trap receiver listened are not missed. Stored once per
// sequence number with those the traps brought; what an earlier listing had and this one no
// longer has is cleared. A listing that fails leaves the alerts as they were and the sync goes on:
// inventory is what a sync is for.
import type { StorageDriver } from '../../../drivers/driver.js';
import { AlertStore } from '../../../alerts/alert-store.js';
import type { AlertRecord } from '../../../alerts/alert.js';
import type { TaskContext } from '../../runtime/task-context.js';

/** Alerts taken from one listing at most (one statement); a longer one is cut, and clears nothing. */
export const MAX_LISTED_ALERTS = 10_000;

export async function syncAlerts(ctx: TaskContext, driver: StorageDriver, progress: number): Promise<void> {
  if (!driver.listAlerts) return;
  let listed;
  try {
    listed = await driver.listAlerts();
  } catch (err) {
    ctx.services.logger.warn({ storageId: ctx.storageId, err: (err as Error).message }, 'could not read the device\'s alerts; they are read again at the next sync');
    return;
  }
  const complete = listed.length <= MAX_LISTED_ALERTS;
  if (!complete) {
    ctx.services.logger.warn({ storageId: ctx.storageId, listed: listed.length, kept: MAX_LISTED_ALERTS }, 'the device lists more alerts than a sync takes; the first are stored and none is cleared for being absent');
    listed = listed.slice(0, MAX_LISTED_ALERTS);
  }
  ctx.throwIfHandedBack(); // the step reads the task and its storage (a cancel rolls it back)
  const store = new AlertStore(ctx.sql);
  let changed: { raised: AlertRecord[]; cleared: AlertRecord[] } = { raised: [], cleared: [] };
  await ctx.step(async (q) => {
    changed = await store.reconcileListed(q, ctx.storageId, listed, new Date(), { clearAbsent: complete });
    return { phase: 'alerts', progress, message: `${listed.length} alerts on the device (${changed.raised.length} new, ${changed.cleared.length} cleared)` };
  });
  // After the commit: what a rolled-back step wrote is never announced.
  for (const a of [...changed.raised, ...changed.cleared]) ctx.services.alerts?.publish(a);
}
