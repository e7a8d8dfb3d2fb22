// A stored alert, and its JSON on NATS (`<namespace>.alerts.<storageId>`): dates as ISO 8601
// text, `state` OPEN until `clearedAt` is set.
import type { AlertCategory, AlertSeverity } from '../drivers/driver.js';

export type AlertState = 'OPEN' | 'CLEARED';

export interface AlertRecord {
  id: string;
  storageId: string;
  alertId: string;
  alertName: string;
  severity: AlertSeverity;
  category: AlertCategory;
  type: string | null;
  description: string;
  location: string | null;
  resourceType: string | null;
  sequenceNumber: string;
  recoveryAdvice: string | null;
  occurredAt: Date;
  receivedAt: Date;
  clearedAt: Date | null;
}

export type AlertMessage = Omit<AlertRecord, 'occurredAt' | 'receivedAt' | 'clearedAt'> & {
  state: AlertState;
  occurredAt: string;
  receivedAt: string;
  clearedAt: string | null;
};

export const stateOf = (a: Pick<AlertRecord, 'clearedAt'>): AlertState => (a.clearedAt ? 'CLEARED' : 'OPEN');

export function toMessage(a: AlertRecord): AlertMessage {
  return { ...a, state: stateOf(a), occurredAt: a.occurredAt.toISOString(), receivedAt: a.receivedAt.toISOString(), clearedAt: a.clearedAt?.toISOString() ?? null };
}

export function fromMessage(m: AlertMessage): AlertRecord {
  const { state: _state, ...rest } = m;
  return { ...rest, occurredAt: new Date(m.occurredAt), receivedAt: new Date(m.receivedAt), clearedAt: m.clearedAt ? new Date(m.clearedAt) : null };
}

/** The NATS subject of one storage's alerts, or of every storage's (`*`). */
export const alertSubject = (namespace: string, storageId: string | '*'): string => `${namespace}.alerts.${storageId}`;

/** Core subject the api publishes on when an alert source changes: receivers reload theirs. */
export const sourcesChangedSubject = (namespace: string): string => `${namespace}.alert-sources.changed`;
