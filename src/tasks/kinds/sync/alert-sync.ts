// The device's own alerts, read on each sync (the first one follows registration) for drivers
// that list them: alerts raised while no trap receiver listened are not missed. Stored once per
// sequence number with those the traps brought; what an earlier listing had and this one no
// longer has is cleared. A listing that fails leaves the alerts as they were and the sync goes on:
// inventory is what a sync is for. They are read with the array's small inventory and written in
// its step (one transaction, not one of their own: a small sync is mostly round trips).
import type { DeviceAlert, StorageDriver } from '../../../drivers/driver.js';
import { AlertStore } from '../../../alerts/alert-store.js';
import type { AlertRecord } from '../../../alerts/alert.js';
import type { TaskContext } from '../../runtime/task-context.js';
import type { TxClient } from '../../../db/sql.js';

/** Alerts taken from one listing at most (one statement); a longer one is cut, and clears nothing. */
export const MAX_LISTED_ALERTS = 10_000;

/** What one listing of the device's alerts gave. */
export interface AlertListing {
  listed: DeviceAlert[];
  /** False when the listing was cut at MAX_LISTED_ALERTS: then absence clears nothing. */
  complete: boolean;
}

/** What writing a listing changed: announced once its transaction committed. */
export interface AlertChanges {
  raised: AlertRecord[];
  cleared: AlertRecord[];
}

/** The device's alerts, or undefined when its driver lists none or the listing failed (logged). */
export async function listDeviceAlerts(ctx: TaskContext, driver: StorageDriver): Promise<AlertListing | undefined> {
  if (!driver.listAlerts) return undefined;
  let listed;
  try {
    listed = await driver.listAlerts();
  } catch (err) {
    ctx.services.logger.warn({ storageId: ctx.storageId, err: (err as Error).message }, 'could not read the device\'s alerts; they are read again at the next sync');
    return undefined;
  }
  const complete = listed.length <= MAX_LISTED_ALERTS;
  if (!complete) {
    ctx.services.logger.warn({ storageId: ctx.storageId, listed: listed.length, kept: MAX_LISTED_ALERTS }, 'the device lists more alerts than a sync takes; the first are stored and none is cleared for being absent');
    listed = listed.slice(0, MAX_LISTED_ALERTS);
  }
  return { listed, complete };
}

/** Stores the listing in the step's transaction `q`; says what it changed, for the progress message. */
export async function writeAlertListing(q: TxClient, ctx: TaskContext, listing: AlertListing): Promise<{ changes: AlertChanges; summary: string }> {
  const changes = await new AlertStore(ctx.sql).reconcileListed(q, ctx.storageId, listing.listed, new Date(), { clearAbsent: listing.complete });
  return { changes, summary: `${listing.listed.length} alerts on the device (${changes.raised.length} new, ${changes.cleared.length} cleared)` };
}

/** After the commit: what a rolled-back step wrote is never announced. */
export function announceAlertChanges(ctx: TaskContext, changes: AlertChanges): void {
  for (const a of [...changes.raised, ...changes.cleared]) ctx.services.alerts?.publish(a);
}
