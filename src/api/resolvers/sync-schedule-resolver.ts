import { Authorized, Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { Storage } from '../types/storage.js';
import { SyncSchedule, SyncScheduleInput } from '../types/sync-schedule.js';

/** A storage's periodic sync: Storage.syncSchedule and setSyncSchedule. */
@Resolver(() => Storage)
export class SyncScheduleResolver {
  @Authorized(needs('setSyncSchedule'))
  @Mutation(() => SyncSchedule, {
    description:
      'Creates, changes or disables the periodic sync of a storage: exactly one of intervalSeconds (at least the minimum interval) and cron. A tick while a sync is queued or running returns that one.',
  })
  setSyncSchedule(
    @Arg('storageId', () => ID) storageId: string,
    @Arg('schedule', () => SyncScheduleInput) schedule: SyncScheduleInput,
    @Ctx() ctx: ApiContext,
  ) {
    return ctx.schedules.setSyncSchedule(storageId, schedule);
  }

  @FieldResolver(() => SyncSchedule, { nullable: true, description: 'Null when the storage has no periodic sync.' })
  syncSchedule(@Root() storage: Storage, @Ctx() ctx: ApiContext) {
    return ctx.loaders.syncScheduleOf.load(storage.id);
  }
}
