// Pools, volumes, disks, controllers and ports, across storages or of one (top-level queries), by
// id; volumes also filtered and in other orders. Each counts only if totalCount is selected.
// `equals`: fields that must have these values (Delfin's REST filters, by name or native id).
import type { Sql } from '../../db/sql.js';
import { poolRows } from '../../db/stores/pool-store.js';
import { volumeRows, type VolumeFilter } from '../../db/stores/volume-store.js';
import { diskRows } from '../../db/stores/disk-store.js';
import { controllerRows } from '../../db/stores/controller-store.js';
import { portRows } from '../../db/stores/port-store.js';
import { allOf, type ChildRows, type Keyed } from '../../db/stores/row-views.js';
import { isId } from '../../lib/ids.js';
import { encodeOrderedCursor, pageRequest, toConnection } from './paging.js';
import { volumeLookup, type VolumeOrderInput } from './volume-lookup.js';
import { mustBeId } from './ids.js';

type Equals = Readonly<Record<string, string>>;

export class ResourceService {
  constructor(private readonly sql: Sql) {}

  listPools(storageId?: string | null, first?: number | null, after?: string | null, equals?: Equals) {
    return this.pageOf(poolRows, storageId, first, after, equals);
  }

  async listVolumes(
    storageId?: string | null,
    first?: number | null,
    after?: string | null,
    filter?: VolumeFilter | null,
    orderBy?: VolumeOrderInput | null,
    equals?: Equals,
  ) {
    const lookup = volumeLookup(filter, orderBy);
    const { order, cursorOrder } = lookup;
    const where = allOf(lookup.where, equals && volumeRows.equal(equals));
    const page = pageRequest(first, after, cursorOrder);
    const id = storageId ? mustBeId(storageId, 'storageId') : null;
    const rows = await volumeRows.page(this.sql.q, id, { where, order, page });
    const cursorOf = cursorOrder ? (v: Keyed<{ id: string }>) => encodeOrderedCursor(cursorOrder, v.orderKey!, v.id) : undefined;
    return toConnection(rows, page.limit, () => volumeRows.count(this.sql.q, id, where), cursorOf);
  }

  listDisks(storageId?: string | null, first?: number | null, after?: string | null, equals?: Equals) {
    return this.pageOf(diskRows, storageId, first, after, equals);
  }

  listControllers(storageId?: string | null, first?: number | null, after?: string | null, equals?: Equals) {
    return this.pageOf(controllerRows, storageId, first, after, equals);
  }

  listPorts(storageId?: string | null, first?: number | null, after?: string | null, equals?: Equals) {
    return this.pageOf(portRows, storageId, first, after, equals);
  }

  private async pageOf<R extends { id: string }>(
    table: ChildRows<R>,
    storageId: string | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    equals?: Equals,
  ) {
    const page = pageRequest(first, after);
    const id = storageId ? mustBeId(storageId, 'storageId') : null;
    const where = equals && table.equal(equals);
    const rows = await table.page(this.sql.q, id, { page, where });
    return toConnection(rows, page.limit, () => table.count(this.sql.q, id, where));
  }

  /** One pool, volume, disk, controller or port by its id; null when there is none (or the id cannot be one). */
  pool(id: string) {
    return this.byId(poolRows, id);
  }

  volume(id: string) {
    return this.byId(volumeRows, id);
  }

  disk(id: string) {
    return this.byId(diskRows, id);
  }

  controller(id: string) {
    return this.byId(controllerRows, id);
  }

  port(id: string) {
    return this.byId(portRows, id);
  }

  private async byId<R>(table: ChildRows<R & { storageId: string }>, id: string): Promise<R | null> {
    return isId(id) ? ((await table.byId(this.sql.q, id)) ?? null) : null;
  }
}
