import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { DriverInfo } from '../types/driver-info.js';

@Resolver(() => DriverInfo)
export class DriverResolver {
  @Authorized(needs('drivers'))
  @Query(() => [DriverInfo], { description: 'The drivers storages can be registered with.' })
  drivers(@Ctx() ctx: ApiContext): DriverInfo[] {
    return ctx.registry.list();
  }
}
