// The port table's store: a sync writes a storage's ports in bulk (resource-writer.ts), the API
// reads them in pages.
import type { Queryable } from '../sql.js';
import { childPage, childPagesOf, type Page, childById } from './row-views.js';

/** A port as the API shows it. */
export interface PortView {
  id: string;
  storageId: string;
  nativePortId: string;
  name: string;
  type: string;
  connectionStatus: string;
  healthStatus: string;
  speedGbps: number | null;
  wwn: string | null;
  macAddress: string | null;
  ipAddress: string | null;
  location: string | null;
  nativeControllerId: string | null;
}

const PORT_FIELDS = [
  'id', 'storageId', 'nativePortId', 'name', 'type', 'connectionStatus', 'healthStatus', 'speedGbps', 'wwn',
  'macAddress', 'ipAddress', 'location', 'nativeControllerId',
] as const satisfies ReadonlyArray<keyof PortView>;

/** A page of ports, of one storage or of all, by id. */
export function listPorts(q: Queryable, storageId: string | null, page: Page): Promise<{ rows: PortView[]; total: number }> {
  return childPage<PortView>(q, 'port', PORT_FIELDS, storageId, page);
}

/** The same page of ports for many storages, in two queries. */
export function portPagesOf(q: Queryable, storageIds: string[], page: Page) {
  return childPagesOf<PortView>(q, 'port', PORT_FIELDS, storageIds, page);
}

/** One port by its row id. */
export function getPort(q: Queryable, id: string): Promise<PortView | undefined> {
  return childById<PortView>(q, 'port', PORT_FIELDS, id);
}
