// /v1/volumes: list and show.
import { toDelfinVolume } from '../mapping/volume.js';
import { inventoryRoutes } from './inventory.js';

export const volumeRoutes = inventoryRoutes({
  path: '/v1/volumes',
  listField: 'volumes',
  notFound: ['VolumeNotFound', 'Volume'],
  needs: 'volumes',
  list: (ctx, storageId, first, after) => ctx.resources.listVolumes(storageId, first, after),
  get: (ctx, id) => ctx.resources.volume(id),
  map: toDelfinVolume,
});
