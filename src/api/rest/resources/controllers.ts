// /v1/controllers: list and show.
import { toDelfinController } from '../mapping/controller.js';
import { inventoryRoutes } from './inventory.js';

export const controllerRoutes = inventoryRoutes({
  path: '/v1/controllers',
  listField: 'controllers',
  notFound: ['ControllerNotFound', 'Controller'],
  needs: 'controllers',
  pushedDown: { name: 'name', native_controller_id: 'nativeControllerId' },
  list: (ctx, storageId, first, after, equals) => ctx.resources.listControllers(storageId, first, after, equals),
  get: (ctx, id) => ctx.resources.controller(id),
  map: toDelfinController,
});
