// A lookup of volumes as the stores take it: the client's filter as conditions, its order as a
// column, and that order as its cursors record it (so a cursor of one order is refused by another).
import { isOrderKey, type Order, type Where } from '../../db/stores/row-views.js';
import { volumeOrder, volumeWhere, type VolumeFilter, type VolumeOrderField } from '../../db/stores/volume-store.js';
import type { CursorOrder } from './paging.js';

export interface VolumeOrderInput {
  field: VolumeOrderField;
  direction?: 'ASC' | 'DESC' | null;
}

export interface VolumeLookup {
  where?: Where;
  order?: Order;
  cursorOrder?: CursorOrder;
}

export function volumeLookup(filter?: VolumeFilter | null, orderBy?: VolumeOrderInput | null): VolumeLookup {
  const where = filter ? volumeWhere(filter) : undefined;
  if (!orderBy) return { where };
  const direction = orderBy.direction ?? 'ASC';
  const order = volumeOrder(orderBy.field, direction === 'DESC');
  return { where, order, cursorOrder: { name: `${orderBy.field} ${direction}`, isKey: (key) => isOrderKey(order.type, key) } };
}

/** A stable text for a lookup, to group requests that ask the same (DataLoader keys). */
export function lookupKey(filter?: VolumeFilter | null, orderBy?: VolumeOrderInput | null): string {
  return JSON.stringify([filter ?? null, orderBy ?? null]);
}
