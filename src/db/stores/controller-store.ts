// The controller table's store: a sync writes a storage's controllers in bulk
// (resource-writer.ts), the API reads them in pages.
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
