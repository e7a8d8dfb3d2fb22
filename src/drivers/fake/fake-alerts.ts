// The simulator's current alerts: those `extraAttributes.alerts` lists, less the ones cleared
// through the driver. A simulated array has no disk, so what was cleared is held in this process,
// per array (serial number), until it restarts: a clear made by one process (the api) is not
// seen by a sync in another (a worker apart), which then still lists it (stored once all the same).
import { z } from 'zod';
import type { AlertCategory, AlertSeverity, DeviceAlert } from '../driver.js';
import { CATEGORIES, SEVERITIES } from './fake-traps.js';

export const MAX_FAKE_ALERTS = 1000;

/** One alert as extraAttributes.alerts gives it: the words of the simulator's traps. */
export const fakeAlertSchema = z.object({
  sequenceNumber: z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String),
  alertId: z.string().min(1),
  alertName: z.string().optional(),
  severity: z.enum(Object.keys(SEVERITIES) as [string, ...string[]]),
  category: z.enum(Object.keys(CATEGORIES) as [string, ...string[]]).default('Fault'),
  description: z.string().default(''),
  location: z.string().optional(),
  resourceType: z.string().optional(),
  occurredAt: z.string().datetime({ offset: true }).optional(),
});

export type FakeAlert = z.infer<typeof fakeAlertSchema>;

export const fakeAlertsSchema = z.array(fakeAlertSchema).max(MAX_FAKE_ALERTS).default([]);

export const FAKE_ALERTS_RULE =
  `a list of at most ${MAX_FAKE_ALERTS} alerts, each { sequenceNumber, alertId, severity (${Object.keys(SEVERITIES).join('|')}), ` +
  `category (${Object.keys(CATEGORIES).join('|')}), description, location, resourceType, alertName, occurredAt (ISO 8601) }`;

/** Sequence numbers cleared through the driver, per array. */
const clearedByArray = new Map<string, Set<string>>();

export function currentFakeAlerts(serialNumber: string, alerts: readonly FakeAlert[]): DeviceAlert[] {
  const cleared = clearedByArray.get(serialNumber);
  return alerts.filter((a) => !cleared?.has(a.sequenceNumber)).map(toDeviceAlert);
}

/** Idempotent; a sequence number the array does not list is cleared all the same (nothing to do). */
export function clearFakeAlert(serialNumber: string, sequenceNumber: string): void {
  const cleared = clearedByArray.get(serialNumber) ?? new Set<string>();
  cleared.add(sequenceNumber);
  clearedByArray.set(serialNumber, cleared);
}

function toDeviceAlert(a: FakeAlert): DeviceAlert {
  return {
    alertId: a.alertId,
    alertName: a.alertName ?? a.alertId,
    severity: SEVERITIES[a.severity] as AlertSeverity,
    category: CATEGORIES[a.category] as AlertCategory,
    description: a.description,
    location: a.location ?? null,
    resourceType: a.resourceType ?? null,
    sequenceNumber: a.sequenceNumber,
    occurredAt: a.occurredAt ? new Date(a.occurredAt) : null,
  };
}
