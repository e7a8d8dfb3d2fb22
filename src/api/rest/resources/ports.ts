// /v1/ports: list and show.
import { toDelfinPort } from '../mapping/port.js';
import { inventoryRoutes } from './inventory.js';

export const portRoutes = inventoryRoutes({
  path: '/v1/ports',
  listField: 'ports',
  notFound: ['PortNotFound', 'Port'],
  needs: 'ports',
  pushedDown: { name: 'name', native_port_id: 'nativePortId' },
  list: (ctx, storageId, first, after, equals) => ctx.resources.listPorts(storageId, first, after, equals),
  get: (ctx, id) => ctx.resources.port(id),
  map: toDelfinPort,
});
