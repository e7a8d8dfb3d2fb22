// Pools, volumes, disks, controllers and ports, across storages or of one (top-level queries), by
// id; volumes also filtered and in other orders. Each counts only if totalCount is selected.
import type { Sql } from '../../db/sql.js';
import { poolRows } from '../../db/stores/pool-store.js';
import { volumeRows, type VolumeFilter } from '../../db/stores/volume-store.js';
import { diskRows } from '../../db/stores/disk-store.js';
import { controllerRows } from '../../db/stores/controller-store.js';
import { portRows } from '../../db/stores/port-store.js';
import type { ChildRows, Keyed } from '../../db/stores/row-views.js';
import { encodeOrderedCursor, pageRequest, toConnection } from './paging.js';
import { volumeLookup, type VolumeOrderInput } from './volume-lookup.js';
import { mustBeId } from './ids.js';

export class ResourceService {
  constructor(private readonly sql: Sql) {}

  listPools(storageId?: string | null, first?: number | null, after?: string | null) {
    return this.pageOf(poolRows, storageId, first, after);
  }

  async listVolumes(
    storageId?: string | null,
    first?: number | null,
    after?: string | null,
    filter?: VolumeFilter | null,
    orderBy?: VolumeOrderInput | null,
  ) {
    const { where, order, cursorOrder } = volumeLookup(filter, orderBy);
    const page = pageRequest(first, after, cursorOrder);
    const id = storageId ? mustBeId(storageId, 'storageId') : null;
    const rows = await volumeRows.page(this.sql.q, id, { where, order, page });
    const cursorOf = cursorOrder ? (v: Keyed<{ id: string }>) => encodeOrderedCursor(cursorOrder, v.orderKey!, v.id) : undefined;
    return toConnection(rows, page.limit, () => volumeRows.count(this.sql.q, id, where), cursorOf);
  }

  listDisks(storageId?: string | null, first?: number | null, after?: string | null) {
    return this.pageOf(diskRows, storageId, first, after);
  }

  listControllers(storageId?: string | null, first?: number | null, after?: string | null) {
    return this.pageOf(controllerRows, storageId, first, after);
  }

  listPorts(storageId?: string | null, first?: number | null, after?: string | null) {
    return this.pageOf(portRows, storageId, first, after);
  }

  private async pageOf<R extends { id: string }>(
    table: ChildRows<R>,
    storageId: string | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const page = pageRequest(first, after);
    const id = storageId ? mustBeId(storageId, 'storageId') : null;
    const rows = await table.page(this.sql.q, id, { page });
    return toConnection(rows, page.limit, () => table.count(this.sql.q, id));
  }
}
