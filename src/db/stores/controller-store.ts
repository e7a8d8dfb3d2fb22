// The controller table's store: a sync writes a storage's controllers in bulk
// (resource-writer.ts), the API reads them in pages.
import type { Queryable } from '../sql.js';
import { childPage, childPagesOf, type Page } from './row-views.js';

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

/** A page of controllers, of one storage or of all, by id. */
export function listControllers(q: Queryable, storageId: string | null, page: Page): Promise<{ rows: ControllerView[]; total: number }> {
  return childPage<ControllerView>(q, 'controller', CONTROLLER_FIELDS, storageId, page);
}

/** The same page of controllers for many storages, in two queries. */
export function controllerPagesOf(q: Queryable, storageIds: string[], page: Page) {
  return childPagesOf<ControllerView>(q, 'controller', CONTROLLER_FIELDS, storageIds, page);
}

/** Native id → name of the storage's controllers (the exporters' labels). */
export async function controllerNames(q: Queryable, storageId: string): Promise<Map<string, string>> {
  const { rows } = await q.query('select native_controller_id as id, name from controller where storage_id = $1', [storageId]);
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}
