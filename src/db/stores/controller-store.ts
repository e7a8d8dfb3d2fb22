// The controller table's store: a sync writes a storage's controllers in bulk
// (resource-writer.ts), the API reads them in pages.
import type { Queryable } from '../sql.js';
import { childPage, childPagesOf, type Page, childById } from './row-views.js';

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

/** One controller by its row id. */
export function getController(q: Queryable, id: string): Promise<ControllerView | undefined> {
  return childById<ControllerView>(q, 'controller', CONTROLLER_FIELDS, id);
}
