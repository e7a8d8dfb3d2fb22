// The service's own alerts (listAlerts): the entries of its Redfish LogServices, under Managers
// and Chassis, where a storage service keeps its logs. One entry is one alert, named by its
// @odata.id (stable, unique across logs). An entry marked Resolved is no longer current, so it is
// left out (delfin then clears the alert); so is one the log wrapped over. Entries cannot be
// cleared one by one in Redfish (LogService.ClearLog empties a whole log): no clearAlert.
import type { AlertSeverity, DeviceAlert } from '../driver.js';
import { memberPages, allMembers, resolve } from './collections.js';
import { link, type Json, type RedfishClient } from './redfish-client.js';
import { text } from './resource-mapping.js';

/** At most this many entries are read per listing (a log keeps about a thousand). */
export const MAX_LOG_ENTRIES = 5000;

const SEVERITIES: Record<string, AlertSeverity> = { Critical: 'CRITICAL', Warning: 'WARNING', OK: 'INFORMATIONAL' };

export async function readLogAlerts(client: RedfishClient): Promise<DeviceAlert[]> {
  const root = await client.serviceRoot();
  const alerts: DeviceAlert[] = [];
  for (const owners of ['Managers', 'Chassis']) {
    const path = link(root, owners);
    if (!path) continue;
    for (const owner of await allMembers(client, path)) {
      for (const log of await logServicesOf(client, owner)) {
        const entries = link(log, 'Entries');
        if (!entries || log.ServiceEnabled === false) continue;
        for await (const { members } of memberPages(client, entries)) {
          for (const entry of await resolve(client, members)) {
            const alert = toDeviceAlert(entry);
            if (alert) alerts.push(alert);
            if (alerts.length >= MAX_LOG_ENTRIES) return alerts;
          }
        }
      }
    }
  }
  return alerts;
}

async function logServicesOf(client: RedfishClient, owner: Json): Promise<Json[]> {
  const path = link(owner, 'LogServices');
  return path ? allMembers(client, path) : [];
}

/** A LogEntry as an alert; undefined when it is resolved or has no @odata.id. */
export function toDeviceAlert(entry: Json): DeviceAlert | undefined {
  const id = text(entry['@odata.id']);
  if (!id || entry.Resolved === true) return undefined;
  const messageId = text(entry.MessageId) ?? text(entry.EntryCode);
  const severity = SEVERITIES[text(entry.Severity) ?? ''] ?? 'NOT_SPECIFIED';
  const origin = link((entry.Links as Json | undefined) ?? null, 'OriginOfCondition');
  const created = text(entry.Created);
  const at = created ? new Date(created) : null;
  return {
    alertId: messageId ?? text(entry.Id) ?? id,
    // "Event.1.0.TempWayTooHot": its last part names it.
    alertName: messageId?.split('.').at(-1) ?? text(entry.Name) ?? id,
    severity,
    category: severity === 'CRITICAL' || severity === 'WARNING' ? 'FAULT' : 'EVENT',
    type: text(entry.EntryType),
    description: text(entry.Message) ?? text(entry.Name) ?? '',
    location: origin,
    resourceType: origin ? resourceTypeOf(origin) : null,
    sequenceNumber: id,
    occurredAt: at && !Number.isNaN(at.getTime()) ? at : null,
  };
}

/** "/redfish/v1/Chassis/EBOFEnclosure/Thermal" → "Thermal"; a member of a collection → the collection ("Drives"). */
function resourceTypeOf(path: string): string | null {
  const parts = path.replace(/\/+$/, '').split('/').filter(Boolean);
  return parts.length >= 4 && parts.length % 2 === 0 ? (parts.at(-2) ?? null) : (parts.at(-1) ?? null);
}
