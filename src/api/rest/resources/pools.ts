// /v1/storage-pools: list and show.
import { toDelfinPool } from '../mapping/pool.js';
import { inventoryRoutes } from './inventory.js';

export const poolRoutes = inventoryRoutes({
  path: '/v1/storage-pools',
  listField: 'storage_pools',
  notFound: ['StoragePoolNotFound', 'Storage pool'],
  needs: 'storagePools',
  pushedDown: { name: 'name', native_storage_pool_id: 'nativeStoragePoolId' },
  list: (ctx, storageId, first, after, equals) => ctx.resources.listPools(storageId, first, after, equals),
  get: (ctx, id) => ctx.resources.pool(id),
  map: toDelfinPool,
});
