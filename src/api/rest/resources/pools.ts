// /v1/storage-pools: list and show.
import { toDelfinPool } from '../mapping/pool.js';
import { inventoryRoutes } from './inventory.js';

export const poolRoutes = inventoryRoutes({
  path: '/v1/storage-pools',
  listField: 'storage_pools',
  notFound: ['StoragePoolNotFound', 'Storage pool'],
  needs: 'storagePools',
  list: (ctx, storageId, first, after) => ctx.resources.listPools(storageId, first, after),
  get: (ctx, id) => ctx.resources.pool(id),
  map: toDelfinPool,
});
