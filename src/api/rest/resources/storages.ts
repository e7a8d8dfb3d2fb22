// /v1/storages: list, show, register, delete, sync one and sync all.
import { RegisterStorageInput } from '../../types/inputs.js';
import { fromDelfinAccess, type DelfinAccessBody } from '../mapping/access-info.js';
import { storageStatusFilter, toDelfinStorage } from '../mapping/storage.js';
import { delfinList } from '../listing.js';
import { checked } from '../checked-input.js';
import { accepted, ok, type RestRoutes } from '../route.js';
import { existingStorage } from './existing-storage.js';

interface RegistrationBody extends DelfinAccessBody {
  vendor: string;
  model: string;
  name?: string;
  description?: string;
}

export const storageRoutes: RestRoutes = {
  'GET /v1/storages': {
    needs: 'storages',
    async handle({ ctx, query }) {
      // vendor, model and status narrow the read in PostgreSQL; every filter is checked on the answer.
      const filter = { vendor: query.vendor, model: query.model, status: storageStatusFilter(query.status) };
      const storages = await delfinList(query, (first, after) => ctx.storages.list(first, after, filter), toDelfinStorage);
      return ok({ storages });
    },
  },
  'GET /v1/storages/{storage_id}': {
    needs: 'storage',
    async handle({ ctx, params }) {
      return ok(toDelfinStorage(await existingStorage(ctx, params.storage_id!)));
    },
  },
  'POST /v1/storages': {
    needs: 'registerStorage',
    async handle({ ctx, body }) {
      const b = body as RegistrationBody;
      const input = await checked(RegisterStorageInput, { vendor: b.vendor, model: b.model, name: b.name, description: b.description, ...fromDelfinAccess(b) });
      return ok(toDelfinStorage(await ctx.storages.register(input)));
    },
  },
  'DELETE /v1/storages/{storage_id}': {
    needs: 'deleteStorage',
    async handle({ ctx, params }) {
      await existingStorage(ctx, params.storage_id!);
      await ctx.storages.delete(params.storage_id!);
      return accepted();
    },
  },
  'POST /v1/storages/{storage_id}/sync': {
    needs: 'syncStorage',
    async handle({ ctx, params }) {
      await existingStorage(ctx, params.storage_id!);
      await ctx.storages.sync(params.storage_id!);
      return accepted();
    },
  },
  'POST /v1/storages/sync': {
    needs: 'syncAllStorages',
    async handle({ ctx }) {
      await ctx.storages.syncAll();
      return accepted();
    },
  },
};

