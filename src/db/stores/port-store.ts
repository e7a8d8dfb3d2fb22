// The port table's store: a sync writes a storage's ports in bulk (resource-writer.ts), the API
// reads them in pages.
import type { Queryable } from '../sql.js';
import { childRows } from './row-views.js';

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

/** Pages of ports, of one storage or of all, by id, and their counts. */
export const portRows = childRows<PortView>('port', PORT_FIELDS);

/** Native id → name of the storage's ports (the exporters' labels). */
export async function portNames(q: Queryable, storageId: string): Promise<Map<string, string>> {
  const { rows } = await q.query('select native_port_id as id, name from port where storage_id = $1', [storageId]);
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}
