import { Authorized, Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { Storage } from '../types/storage.js';
import { StoragePool } from '../types/storage-pool.js';
import { Volume, VolumeConnection } from '../types/volume.js';
import { VolumeFilter, VolumeOrder } from '../types/inputs.js';
import { PageArgs } from './storage-resolver.js';

@Resolver(() => Volume)
export class VolumeResolver {
  @Authorized(needs('volumes'))
  @Query(() => VolumeConnection)
  volumes(
    @Arg('storageId', () => ID, { nullable: true }) storageId: string | null,
    @Args() page: PageArgs,
    @Arg('filter', () => VolumeFilter, { nullable: true }) filter: VolumeFilter | null,
    @Arg('orderBy', () => VolumeOrder, { nullable: true, description: 'Absent: by id (creation).' }) orderBy: VolumeOrder | null,
    @Ctx() ctx: ApiContext,
  ) {
    return ctx.resources.listVolumes(storageId, page.first, page.after, filter, orderBy);
  }

  @FieldResolver(() => Storage)
  storage(@Root() volume: Volume, @Ctx() ctx: ApiContext) {
    return ctx.loaders.storage.load(volume.storageId);
  }

  @FieldResolver(() => StoragePool, { nullable: true, description: 'The pool the volume belongs to, when the device says.' })
  pool(@Root() volume: Volume, @Ctx() ctx: ApiContext) {
    if (!volume.nativeStoragePoolId) return null;
    return ctx.loaders.poolByNativeId.load({ storageId: volume.storageId, nativeId: volume.nativeStoragePoolId });
  }
}
