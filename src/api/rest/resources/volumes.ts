// /v1/volumes: list and show.
import { toDelfinVolume } from '../mapping/volume.js';
import { inventoryRoutes } from './inventory.js';

export const volumeRoutes = inventoryRoutes({
  path: '/v1/volumes',
  listField: 'volumes',
  notFound: ['VolumeNotFound', 'Volume'],
  needs: 'volumes',
  pushedDown: { name: 'name', native_volume_id: 'nativeVolumeId', native_storage_pool_id: 'nativeStoragePoolId' },
  list: (ctx, storageId, first, after, equals) => ctx.resources.listVolumes(storageId, first, after, null, null, equals),
  get: (ctx, id) => ctx.resources.volume(id),
  map: toDelfinVolume,
});
