// /v1/disks: list and show.
import { toDelfinDisk } from '../mapping/disk.js';
import { inventoryRoutes } from './inventory.js';

export const diskRoutes = inventoryRoutes({
  path: '/v1/disks',
  listField: 'disks',
  notFound: ['DiskNotFound', 'Disk'],
  needs: 'disks',
  list: (ctx, storageId, first, after) => ctx.resources.listDisks(storageId, first, after),
  get: (ctx, id) => ctx.resources.disk(id),
  map: toDelfinDisk,
});
