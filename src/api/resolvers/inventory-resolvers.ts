// Disks, controllers and ports: the top-level queries (across storages or of one) and each
// one's storage (through the per-request loader: no N+1).
import { Authorized, Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { Storage } from '../types/storage.js';
import { Disk, DiskConnection } from '../types/disk.js';
import { Controller, ControllerConnection } from '../types/controller.js';
import { Port, PortConnection } from '../types/port.js';
import { PageArgs } from './storage-resolver.js';

@Resolver(() => Disk)
export class DiskResolver {
  @Authorized(needs('disks'))
  @Query(() => DiskConnection, { description: 'Disks of one storage or of all, by id.' })
  disks(@Arg('storageId', () => ID, { nullable: true }) storageId: string | null, @Args() page: PageArgs, @Ctx() ctx: ApiContext) {
    return ctx.resources.listDisks(storageId, page.first, page.after);
  }

  @FieldResolver(() => Storage)
  storage(@Root() disk: Disk, @Ctx() ctx: ApiContext) {
    return ctx.loaders.storage.load(disk.storageId);
  }
}

@Resolver(() => Controller)
export class ControllerResolver {
  @Authorized(needs('controllers'))
  @Query(() => ControllerConnection, { description: 'Controllers of one storage or of all, by id.' })
  controllers(@Arg('storageId', () => ID, { nullable: true }) storageId: string | null, @Args() page: PageArgs, @Ctx() ctx: ApiContext) {
    return ctx.resources.listControllers(storageId, page.first, page.after);
  }

  @FieldResolver(() => Storage)
  storage(@Root() controller: Controller, @Ctx() ctx: ApiContext) {
    return ctx.loaders.storage.load(controller.storageId);
  }
}

@Resolver(() => Port)
export class PortResolver {
  @Authorized(needs('ports'))
  @Query(() => PortConnection, { description: 'Ports of one storage or of all, by id.' })
  ports(@Arg('storageId', () => ID, { nullable: true }) storageId: string | null, @Args() page: PageArgs, @Ctx() ctx: ApiContext) {
    return ctx.resources.listPorts(storageId, page.first, page.after);
  }

  @FieldResolver(() => Storage)
  storage(@Root() port: Port, @Ctx() ctx: ApiContext) {
    return ctx.loaders.storage.load(port.storageId);
  }
}
