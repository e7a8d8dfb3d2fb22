// Pools and volumes, across storages or of one (top-level queries), by id.
import type { Sql } from '../../db/sql.js';
import { listPools } from '../../db/stores/pool-store.js';
import { listVolumes } from '../../db/stores/volume-store.js';
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
}
