// The seed's GET and PUT /v1/storages/{storage_id}/metrics-config (not in Delfin's document
// any more; ./openapi/errata.ts declares it).
import { fromDelfinMetricsConfig, toDelfinMetricsConfig, type DelfinMetricsConfig } from '../mapping/metrics-config.js';
import { ok, type RestRoutes } from '../route.js';
import { existingStorage } from './existing-storage.js';

export const metricsConfigRoutes: RestRoutes = {
  'GET /v1/storages/{storage_id}/metrics-config': {
    needs: 'metricsConfig',
    async handle({ ctx, params }) {
      const storage = await existingStorage(ctx, params.storage_id!);
      return ok(toDelfinMetricsConfig(await ctx.metricsConfigs.get(storage.id)));
    },
  },
  'PUT /v1/storages/{storage_id}/metrics-config': {
    needs: 'updateMetricsConfig',
    async handle({ ctx, params, body }) {
      const storage = await existingStorage(ctx, params.storage_id!);
      const current = await ctx.metricsConfigs.get(storage.id);
      const saved = await ctx.metricsConfigs.update(storage.id, fromDelfinMetricsConfig(body as DelfinMetricsConfig, current));
      return ok(toDelfinMetricsConfig(saved));
    },
  },
};
