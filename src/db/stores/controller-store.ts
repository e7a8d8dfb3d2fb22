// The controller table's store: a sync writes a storage's controllers in bulk
// (resource-writer.ts), the API reads them in pages.
import type { Queryable } from '../sql.js';
import { childRows } from './row-views.js';

/** A controller as the API shows it. */
export interface ControllerView {
  id: string;
  storageId: string;
  nativeControllerId: string;
  name: string;
  status: string;
  firmware: string | null;
  location: string | null;
  memoryBytes: string | null;
}

const CONTROLLER_FIELDS = [
  'id', 'storageId', 'nativeControllerId', 'name', 'status', 'firmware', 'location', 'memoryBytes',
] as const satisfies ReadonlyArray<keyof ControllerView>;

/** Pages of controllers, of one storage or of all, by id, and their counts. */
export const controllerRows = childRows<ControllerView>('controller', CONTROLLER_FIELDS);

/** Native id → name of the storage's controllers (the exporters' labels). */
export async function controllerNames(q: Queryable, storageId: string): Promise<Map<string, string>> {
  const { rows } = await q.query('select native_controller_id as id, name from controller where storage_id = $1', [storageId]);
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}
