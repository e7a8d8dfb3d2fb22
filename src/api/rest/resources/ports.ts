// /v1/ports: list and show.
import { toDelfinPort } from '../mapping/port.js';
import { inventoryRoutes } from './inventory.js';

export const portRoutes = inventoryRoutes({
  path: '/v1/ports',
  listField: 'ports',
  notFound: ['PortNotFound', 'Port'],
  needs: 'ports',
  list: (ctx, storageId, first, after) => ctx.resources.listPorts(storageId, first, after),
  get: (ctx, id) => ctx.resources.port(id),
  map: toDelfinPort,
});
