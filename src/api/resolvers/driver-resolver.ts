import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { summarize } from '../../drivers/descriptor-shape.js';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { DriverInfo } from '../types/driver-info.js';
import { isShownResourceType } from '../types/enums.js';

@Resolver(() => DriverInfo)
export class DriverResolver {
  @Authorized(needs('drivers'))
  @Query(() => [DriverInfo], { description: 'The drivers storages can be registered with (built in, and from driver packages).' })
  drivers(@Ctx() ctx: ApiContext): DriverInfo[] {
    return ctx.registry.list().map((key) => {
      const descriptor = ctx.registry.find(key.vendor, key.model)!;
      const info = summarize(descriptor);
      return { ...info, resources: info.resources.filter(isShownResourceType), parsesTraps: typeof descriptor.parseAlert === 'function' };
    });
  }
}
