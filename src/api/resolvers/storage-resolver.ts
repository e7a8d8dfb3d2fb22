import { Authorized, Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import { IsOptional, Max, Min } from 'class-validator';
import type { ApiContext } from '../context.js';
import { AccessInfo } from '../types/access-info.js';
import { AccessInfoInput, RegisterStorageInput, StorageFilter, SyncOptions, VolumeFilter, VolumeOrder } from '../types/inputs.js';
import { Storage, StorageConnection } from '../types/storage.js';
import { StorageCapabilities } from '../types/storage-capabilities.js';
import { isShownResourceType } from '../types/enums.js';
import { StoragePoolConnection } from '../types/storage-pool.js';
import { Task } from '../types/task.js';
import { VolumeConnection } from '../types/volume.js';
import { DiskConnection } from '../types/disk.js';
import { ControllerConnection } from '../types/controller.js';
import { PortConnection } from '../types/port.js';
import { MAX_PAGE_SIZE } from '../services/paging.js';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
  @IsOptional()
  @Min(0, { message: `first must be between 0 and ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `first must be between 0 and ${MAX_PAGE_SIZE}` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  after?: string | null;
}

@Resolver(() => Storage)
export class StorageResolver {
  @Authorized(needs('storages'))
  @Query(() => StorageConnection)
  storages(@Args() page: PageArgs, @Arg('filter', () => StorageFilter, { nullable: true }) filter: StorageFilter | null, @Ctx() ctx: ApiContext) {
    return ctx.storages.list(page.first, page.after, filter);
  }

  @Authorized(needs('storage'))
  @Query(() => Storage, { nullable: true })
  storage(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext) {
    return ctx.storages.get(id);
  }

  @Authorized(needs('registerStorage'))
  @Mutation(() => Storage, {
    description: 'Validates the access info through the driver, refuses a device already registered, stores the credentials encrypted and queues the first sync.',
  })
  registerStorage(@Arg('input', () => RegisterStorageInput) input: RegisterStorageInput, @Ctx() ctx: ApiContext) {
    return ctx.storages.register(input);
  }

  @Authorized(needs('updateAccessInfo'))
  @Mutation(() => Storage, { description: 'Re-validates through the driver; the device must have the same serial number.' })
  updateAccessInfo(
    @Arg('storageId', () => ID) storageId: string,
    @Arg('input', () => AccessInfoInput) input: AccessInfoInput,
    @Ctx() ctx: ApiContext,
  ) {
    return ctx.storages.updateAccessInfo(storageId, input);
  }

  @Authorized(needs('syncStorage'))
  @Mutation(() => Task, { description: 'Queues a sync; a storage with a sync already queued or running gets that task back.' })
  syncStorage(
    @Arg('id', () => ID) id: string,
    @Arg('options', () => SyncOptions, { nullable: true }) options: SyncOptions | null,
    @Ctx() ctx: ApiContext,
  ) {
    return ctx.storages.sync(id, options);
  }

  @Authorized(needs('syncAllStorages'))
  @Mutation(() => [Task], { description: 'One sync per storage, queued at once; storages with a sync queued or running get that task back.' })
  syncAllStorages(@Arg('options', () => SyncOptions, { nullable: true }) options: SyncOptions | null, @Ctx() ctx: ApiContext) {
    return ctx.storages.syncAll(options);
  }

  @Authorized(needs('deleteStorage'))
  @Mutation(() => Task, {
    description: 'Returns the REMOVE_STORAGE task: queued tasks of the storage are cancelled, a running sync stops at its next step, then the storage and all its resources are removed.',
  })
  deleteStorage(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext) {
    return ctx.storages.delete(id);
  }

  @FieldResolver(() => AccessInfo)
  accessInfo(@Root() storage: Storage, @Ctx() ctx: ApiContext) {
    return ctx.loaders.accessInfoOf.load(storage.id);
  }

  @FieldResolver(() => StoragePoolConnection)
  pools(@Root() storage: Storage, @Args() page: PageArgs, @Ctx() ctx: ApiContext) {
    return ctx.loaders.poolsOf.load({ storageId: storage.id, first: page.first, after: page.after });
  }

  @FieldResolver(() => StorageCapabilities, { description: "What the storage's driver can do for this array; asks the driver (one connection per storage)." })
  async capabilities(@Root() storage: Storage, @Ctx() ctx: ApiContext): Promise<StorageCapabilities> {
    const caps = await ctx.storages.capabilities(storage.id);
    return {
      ...caps,
      resources: caps.resources.filter(isShownResourceType),
      metrics: caps.metrics.filter((m) => isShownResourceType(m.resourceType)),
    };
  }

  @FieldResolver(() => VolumeConnection)
  volumes(
    @Root() storage: Storage,
    @Args() page: PageArgs,
    @Arg('filter', () => VolumeFilter, { nullable: true }) filter: VolumeFilter | null,
    @Arg('orderBy', () => VolumeOrder, { nullable: true, description: 'Absent: by id (creation).' }) orderBy: VolumeOrder | null,
    @Ctx() ctx: ApiContext,
  ) {
    return ctx.loaders.volumesOf.load({ storageId: storage.id, first: page.first, after: page.after, filter, orderBy });
  }

  @FieldResolver(() => DiskConnection)
  disks(@Root() storage: Storage, @Args() page: PageArgs, @Ctx() ctx: ApiContext) {
    return ctx.loaders.disksOf.load({ storageId: storage.id, first: page.first, after: page.after });
  }

  @FieldResolver(() => ControllerConnection)
  controllers(@Root() storage: Storage, @Args() page: PageArgs, @Ctx() ctx: ApiContext) {
    return ctx.loaders.controllersOf.load({ storageId: storage.id, first: page.first, after: page.after });
  }

  @FieldResolver(() => PortConnection)
  ports(@Root() storage: Storage, @Args() page: PageArgs, @Ctx() ctx: ApiContext) {
    return ctx.loaders.portsOf.load({ storageId: storage.id, first: page.first, after: page.after });
  }
}
