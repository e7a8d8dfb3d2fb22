// Access info: show and update one storage's, list every storage's. Never a password or key.
import { AccessInfoInput } from '../../types/inputs.js';
import { fromDelfinAccess, toDelfinAccessInfo, type DelfinAccessBody } from '../mapping/access-info.js';
import { checked } from '../checked-input.js';
import { ok, type RestRoutes } from '../route.js';
import { existingStorage } from './existing-storage.js';
import type { ApiContext } from '../../context.js';
import type { StorageView } from '../../../db/stores/storage-store.js';

async function accessInfoOf(ctx: ApiContext, storage: StorageView) {
  return toDelfinAccessInfo(storage, await ctx.loaders.accessInfoOf.load(storage.id));
}

export const accessInfoRoutes: RestRoutes = {
  'GET /v1/storages/{storage_id}/access-info': {
    needs: 'storage',
    async handle({ ctx, params }) {
      return ok(await accessInfoOf(ctx, await existingStorage(ctx, params.storage_id!)));
    },
  },
  'PUT /v1/storages/{storage_id}/access-info': {
    needs: 'updateAccessInfo',
    async handle({ ctx, params, body }) {
      const storage = await existingStorage(ctx, params.storage_id!);
      const current = await ctx.loaders.accessInfoOf.load(storage.id);
      const input = await checked(AccessInfoInput, fromDelfinAccess(body as DelfinAccessBody, current));
      const updated = await ctx.storages.updateAccessInfo(storage.id, input);
      ctx.loaders.accessInfoOf.clear(storage.id);
      return ok(await accessInfoOf(ctx, updated));
    },
  },
  'GET /v1/storages/access-infos': {
    needs: 'storages',
    async handle({ ctx }) {
      const access_infos = [];
      for (let after: string | undefined, more = true; more;) {
        const page = await ctx.storages.list(1000, after);
        access_infos.push(...(await Promise.all(page.edges.map(({ node }) => accessInfoOf(ctx, node)))));
        more = page.pageInfo.hasNextPage;
        after = page.pageInfo.endCursor ?? undefined;
      }
      return ok({ access_infos });
    },
  },
};
