import { Authorized, Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { Storage } from '../types/storage.js';
import { StoragePool, StoragePoolConnection } from '../types/storage-pool.js';
import { PageArgs } from './storage-resolver.js';

@Resolver(() => StoragePool)
export class StoragePoolResolver {
  @Authorized(needs('storagePools'))
  @Query(() => StoragePoolConnection)
  storagePools(@Arg('storageId', () => ID, { nullable: true }) storageId: string | null, @Args() page: PageArgs, @Ctx() ctx: ApiContext) {
    return ctx.resources.listPools(storageId, page.first, page.after);
  }

  @FieldResolver(() => Storage)
  async storage(@Root() pool: StoragePool, @Ctx() ctx: ApiContext) {
    return ctx.loaders.storage.load(pool.storageId);
  }
}
