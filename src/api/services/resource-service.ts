// Pools and volumes, across storages or of one (top-level queries), newest-synced order by id.
import type { EntityManager } from '@mikro-orm/postgresql';
import { StoragePool as PoolEntity, Volume as VolumeEntity } from '../../db/entities/index.js';
import { pageRequest, toConnection } from './paging.js';
import { mustBeId } from './ids.js';

type Entity = typeof PoolEntity | typeof VolumeEntity;

export class ResourceService {
  listPools(em: EntityManager, storageId?: string | null, first?: number | null, after?: string | null) {
    return this.list(em, PoolEntity, storageId, first, after);
  }

  listVolumes(em: EntityManager, storageId?: string | null, first?: number | null, after?: string | null) {
    return this.list(em, VolumeEntity, storageId, first, after);
  }

  private async list<E extends Entity>(em: EntityManager, entity: E, storageId?: string | null, first?: number | null, after?: string | null) {
    const page = pageRequest(first, after);
    const where: Record<string, unknown> = storageId ? { storageId: mustBeId(storageId, 'storageId') } : {};
    const [rows, total] = await Promise.all([
      em.find(entity as typeof PoolEntity, page.afterId ? { ...where, id: { $gt: page.afterId } } : where, {
        orderBy: { id: 'ASC' },
        limit: page.limit + 1,
      }),
      em.count(entity as typeof PoolEntity, where),
    ]);
    return toConnection(rows as Array<InstanceType<E>>, page.limit, total);
  }
}
