// /v1/disks: list and show.
import { toDelfinDisk } from '../mapping/disk.js';
import { inventoryRoutes } from './inventory.js';

export const diskRoutes = inventoryRoutes({
  path: '/v1/disks',
  listField: 'disks',
  notFound: ['DiskNotFound', 'Disk'],
  needs: 'disks',
  pushedDown: { name: 'name', native_disk_id: 'nativeDiskId' },
  list: (ctx, storageId, first, after, equals) => ctx.resources.listDisks(storageId, first, after, equals),
  get: (ctx, id) => ctx.resources.disk(id),
  map: toDelfinDisk,
});
