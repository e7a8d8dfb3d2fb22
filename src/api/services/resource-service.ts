// Pools, volumes, disks, controllers and ports, across storages or of one (top-level queries), by id.
import type { Sql } from '../../db/sql.js';
import { listPools } from '../../db/stores/pool-store.js';
import { listVolumes } from '../../db/stores/volume-store.js';
import { listDisks } from '../../db/stores/disk-store.js';
import { listControllers } from '../../db/stores/controller-store.js';
import { listPorts } from '../../db/stores/port-store.js';
import type { Page } from '../../db/stores/row-views.js';
import type { Queryable } from '../../db/sql.js';
import { pageRequest, toConnection } from './paging.js';
import { mustBeId } from './ids.js';

export class ResourceService {
  constructor(private readonly sql: Sql) {}

  async listPools(storageId?: string | null, first?: number | null, after?: string | null) {
    const page = pageRequest(first, after);
    const { rows, total } = await listPools(this.sql.q, storageId ? mustBeId(storageId, 'storageId') : null, page);
    return toConnection(rows, page.limit, total);
  }

  async listVolumes(storageId?: string | null, first?: number | null, after?: string | null) {
    const page = pageRequest(first, after);
    const { rows, total } = await listVolumes(this.sql.q, storageId ? mustBeId(storageId, 'storageId') : null, page);
    return toConnection(rows, page.limit, total);
  }

  listDisks(storageId?: string | null, first?: number | null, after?: string | null) {
    return this.pageOf(listDisks, storageId, first, after);
  }

  listControllers(storageId?: string | null, first?: number | null, after?: string | null) {
    return this.pageOf(listControllers, storageId, first, after);
  }

  listPorts(storageId?: string | null, first?: number | null, after?: string | null) {
    return this.pageOf(listPorts, storageId, first, after);
  }

  private async pageOf<R extends { id: string }>(
    list: (q: Queryable, storageId: string | null, page: Page) => Promise<{ rows: R[]; total: number }>,
    storageId: string | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const page = pageRequest(first, after);
    const { rows, total } = await list(this.sql.q, storageId ? mustBeId(storageId, 'storageId') : null, page);
    return toConnection(rows, page.limit, total);
  }
}
