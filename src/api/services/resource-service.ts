// Pools, volumes, disks, controllers and ports, across storages or of one (top-level queries), by id.
import type { Sql } from '../../db/sql.js';
import { getPool, listPools } from '../../db/stores/pool-store.js';
import { getVolume, listVolumes } from '../../db/stores/volume-store.js';
import { getDisk, listDisks } from '../../db/stores/disk-store.js';
import { getController, listControllers } from '../../db/stores/controller-store.js';
import { getPort, listPorts } from '../../db/stores/port-store.js';
import type { Page } from '../../db/stores/row-views.js';
import type { Queryable } from '../../db/sql.js';
import { pageRequest, toConnection } from './paging.js';
import { mustBeId } from './ids.js';
import { isId } from '../../lib/ids.js';

export class ResourceService {
  constructor(private readonly sql: Sql) {}

  /** `equals`: fields of the pool that must have these values (Delfin's REST filters). */
  async listPools(storageId?: string | null, first?: number | null, after?: string | null, equals?: Page['equals']) {
    const page = { ...pageRequest(first, after), equals };
    const { rows, total } = await listPools(this.sql.q, storageId ? mustBeId(storageId, 'storageId') : null, page);
    return toConnection(rows, page.limit, total);
  }

  async listVolumes(storageId?: string | null, first?: number | null, after?: string | null, equals?: Page['equals']) {
    const page = { ...pageRequest(first, after), equals };
    const { rows, total } = await listVolumes(this.sql.q, storageId ? mustBeId(storageId, 'storageId') : null, page);
    return toConnection(rows, page.limit, total);
  }

  listDisks(storageId?: string | null, first?: number | null, after?: string | null, equals?: Page['equals']) {
    return this.pageOf(listDisks, storageId, first, after, equals);
  }

  listControllers(storageId?: string | null, first?: number | null, after?: string | null, equals?: Page['equals']) {
    return this.pageOf(listControllers, storageId, first, after, equals);
  }

  listPorts(storageId?: string | null, first?: number | null, after?: string | null, equals?: Page['equals']) {
    return this.pageOf(listPorts, storageId, first, after, equals);
  }

  /** One pool, volume, disk, controller or port by its id; null when there is none (or the id cannot be one). */
  pool(id: string) {
    return this.byId(getPool, id);
  }

  volume(id: string) {
    return this.byId(getVolume, id);
  }

  disk(id: string) {
    return this.byId(getDisk, id);
  }

  controller(id: string) {
    return this.byId(getController, id);
  }

  port(id: string) {
    return this.byId(getPort, id);
  }

  private async byId<R>(get: (q: Queryable, id: string) => Promise<R | undefined>, id: string): Promise<R | null> {
    return isId(id) ? ((await get(this.sql.q, id)) ?? null) : null;
  }

  private async pageOf<R extends { id: string }>(
    list: (q: Queryable, storageId: string | null, page: Page) => Promise<{ rows: R[]; total: number }>,
    storageId: string | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    equals?: Page['equals'],
  ) {
    const page = { ...pageRequest(first, after), equals };
    const { rows, total } = await list(this.sql.q, storageId ? mustBeId(storageId, 'storageId') : null, page);
    return toConnection(rows, page.limit, total);
  }
}
