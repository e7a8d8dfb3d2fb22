// SNMP configs (our alert sources): show, set and delete one storage's, list every storage's.
import type { ApiContext } from '../../context.js';
import { RestError } from '../errors.js';
import { fromDelfinSnmp, toDelfinSnmp, type DelfinSnmpBody } from '../mapping/snmp-config.js';
import { emptyOk, ok, type RestRoutes } from '../route.js';
import { existingStorage } from './existing-storage.js';

const sourceNotFound = (id: string) => new RestError(404, 'AlertSourceNotFound', `Alert source for storage ${id} could not be found.`, [id]);

async function sourceOf(ctx: ApiContext, storageId: string) {
  const [source] = await ctx.alerts.sourcesOf([storageId]);
  if (!source) throw sourceNotFound(storageId);
  return source;
}

export const snmpConfigRoutes: RestRoutes = {
  'GET /v1/storages/{storage_id}/snmp-config': {
    needs: 'storage',
    async handle({ ctx, params }) {
      const storage = await existingStorage(ctx, params.storage_id!);
      return ok(toDelfinSnmp(storage.id, await sourceOf(ctx, storage.id)));
    },
  },
  'PUT /v1/storages/{storage_id}/snmp-config': {
    needs: 'setAlertSource',
    async handle({ ctx, params, body }) {
      const storage = await existingStorage(ctx, params.storage_id!);
      const source = await ctx.alerts.setSource(storage.id, fromDelfinSnmp(body as DelfinSnmpBody));
      return ok(toDelfinSnmp(storage.id, source));
    },
  },
  'DELETE /v1/storages/{storage_id}/snmp-config': {
    needs: 'removeAlertSource',
    async handle({ ctx, params }) {
      const storage = await existingStorage(ctx, params.storage_id!);
      if (!(await ctx.alerts.removeSource(storage.id))) throw sourceNotFound(storage.id);
      return emptyOk();
    },
  },
  'GET /v1/storages/snmp-configs': {
    needs: 'storages',
    async handle({ ctx }) {
      const sources = await ctx.alerts.allSources();
      return ok({ snmp_configs: [...sources].map(([storageId, s]) => toDelfinSnmp(storageId, s)) });
    },
  },
};
