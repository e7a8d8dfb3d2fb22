// GET /v1/storages/{id}/capabilities: the driver's metrics for this array, asked of the driver.
import { toDelfinCapabilities } from '../mapping/capabilities.js';
import { ok, type RestRoutes } from '../route.js';
import { existingStorage } from './existing-storage.js';

export const capabilityRoutes: RestRoutes = {
  'GET /v1/storages/{id}/capabilities': {
    needs: 'storage',
    async handle({ ctx, params }) {
      const storage = await existingStorage(ctx, params.id!);
      const [caps, config] = await Promise.all([ctx.storages.capabilities(storage.id), ctx.metricsConfigs.get(storage.id)]);
      // Whether the storage's metrics are read as history: as its array polling says.
      return ok(toDelfinCapabilities(storage, caps, config.arrayPolling.isHistoric));
    },
  },
};
