// Alerts on GraphQL: alert sources (set, remove, Storage.alertSource), alerts (list, clear,
// Storage.alerts) and the alertEvents subscription.
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { notFound } from '../../errors.js';
import type { AlertState } from '../../alerts/alert.js';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import type { AlertView } from '../services/alert-service.js';
import { Alert, AlertConnection, AlertSeverityEnum, AlertSource, AlertSourceInput, AlertStateEnum } from '../types/alert.js';
import { Storage } from '../types/storage.js';
import { PageArgs } from './storage-resolver.js';

@ArgsType()
class AlertsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  storageId?: string | null;

  @Field(() => [AlertSeverityEnum], { nullable: true })
  severity?: string[] | null;

  @Field(() => [AlertStateEnum], { nullable: true })
  state?: AlertState[] | null;
}

@ArgsType()
class StorageAlertsArgs extends PageArgs {
  @Field(() => [AlertStateEnum], { nullable: true })
  state?: AlertState[] | null;
}

@ArgsType()
class AlertEventsArgs {
  @Field(() => ID, { nullable: true, description: 'Absent: every storage.' })
  storageId?: string | null;
}

async function mustHaveStorage(ctx: ApiContext, storageId: string): Promise<void> {
  if (!(await ctx.storages.get(storageId))) throw notFound('storage', storageId);
}

@Resolver(() => Alert)
export class AlertResolver {
  @Authorized(needs('alerts'))
  @Query(() => AlertConnection)
  alerts(@Args() args: AlertsArgs, @Ctx() ctx: ApiContext) {
    return ctx.alerts.list({ storageId: args.storageId, severity: args.severity, state: args.state }, args.first, args.after);
  }

  @Authorized(needs('setAlertSource'))
  @Mutation(() => AlertSource, { description: "Says where a storage's SNMP traps come from and how they are authenticated (replaces the one it had)." })
  async setAlertSource(@Arg('storageId', () => ID) storageId: string, @Arg('input', () => AlertSourceInput) input: AlertSourceInput, @Ctx() ctx: ApiContext) {
    await mustHaveStorage(ctx, storageId);
    return ctx.alerts.setSource(storageId, input);
  }

  @Authorized(needs('removeAlertSource'))
  @Mutation(() => Boolean, { description: "Removes a storage's alert source; false when it had none." })
  async removeAlertSource(@Arg('storageId', () => ID) storageId: string, @Ctx() ctx: ApiContext) {
    await mustHaveStorage(ctx, storageId);
    return ctx.alerts.removeSource(storageId);
  }

  @Authorized(needs('clearAlert'))
  @Mutation(() => Alert, { description: 'Clears the alert here and, where the driver can, on the device.' })
  clearAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext) {
    return ctx.alerts.clear(id);
  }

  @Authorized(needs('alertEvents'))
  @Subscription(() => Alert, {
    description: 'Every new alert and every clear, of one storage or of all.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, AlertEventsArgs, ApiContext>) => {
      if (args.storageId) await mustHaveStorage(context, args.storageId);
      return context.alerts.subscribe(args.storageId);
    },
  })
  alertEvents(@Root() alert: AlertView, @Args() _args: AlertEventsArgs): AlertView {
    return alert;
  }

  @FieldResolver(() => Storage)
  storage(@Root() alert: Alert, @Ctx() ctx: ApiContext) {
    return ctx.loaders.storage.load(alert.storageId);
  }
}

/** Storage.alertSource and Storage.alerts. */
@Resolver(() => Storage)
export class StorageAlertsResolver {
  @FieldResolver(() => AlertSource, { nullable: true })
  async alertSource(@Root() storage: Storage, @Ctx() ctx: ApiContext) {
    const [source] = await ctx.alerts.sourcesOf([storage.id]);
    return source;
  }

  @FieldResolver(() => AlertConnection, { name: 'alerts' })
  alertsOf(@Root() storage: Storage, @Args() args: StorageAlertsArgs, @Ctx() ctx: ApiContext) {
    return ctx.alerts.list({ storageId: storage.id, state: args.state }, args.first, args.after);
  }
}
