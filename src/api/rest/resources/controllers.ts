// /v1/controllers: list and show.
import { toDelfinController } from '../mapping/controller.js';
import { inventoryRoutes } from './inventory.js';

export const controllerRoutes = inventoryRoutes({
  path: '/v1/controllers',
  listField: 'controllers',
  notFound: ['ControllerNotFound', 'Controller'],
  needs: 'controllers',
  list: (ctx, storageId, first, after) => ctx.resources.listControllers(storageId, first, after),
  get: (ctx, id) => ctx.resources.controller(id),
  map: toDelfinController,
});
