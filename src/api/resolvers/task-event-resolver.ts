import { Authorized, Args, ArgsType, Field, ID, Resolver, Root, Subscription } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { SubscribeResolverData } from 'type-graphql';
import type { ApiContext } from '../context.js';
import { TaskEvent } from '../types/task.js';
import type { TaskEvent as BusTaskEvent } from '../../bus/task-events.js';
import { findOpenTasks, findTasksChangedSince, getTask, type TaskRow } from '../../db/stores/task-store.js';
import { notFound } from '../../errors.js';
import { mustBeId } from '../services/ids.js';

@ArgsType()
class TaskEventsArgs {
  @Field(() => ID, { nullable: true })
  taskId?: string | null;

  @Field(() => ID, { nullable: true })
  storageId?: string | null;
}

/**
 * A task or storage that does not exist would never send an event: the client would wait
 * forever. It is refused at once (BAD_USER_INPUT for what cannot be an id, NOT_FOUND otherwise).
 */
async function checkFilter(ctx: ApiContext, args: TaskEventsArgs): Promise<void> {
  if (args.taskId) {
    if (!(await getTask(ctx.sql.q, mustBeId(args.taskId, 'taskId')))) throw notFound('task', args.taskId);
  }
  if (args.storageId) {
    if (!(await ctx.storages.get(mustBeId(args.storageId, 'storageId')))) throw notFound('storage', args.storageId);
  }
}

async function subscribe(ctx: ApiContext, args: TaskEventsArgs) {
  await checkFilter(ctx, args);
  return ctx.relay.subscribe(args, () => currentState(ctx, args), (since) => changedSince(ctx, args, since));
}

/** Open tasks matching the filter, or the one task whatever its state (ids checked by checkFilter). */
async function currentState(ctx: ApiContext, args: TaskEventsArgs): Promise<TaskRow[]> {
  if (args.taskId) {
    const task = await getTask(ctx.sql.q, args.taskId);
    return task ? [task] : [];
  }
  return findOpenTasks(ctx.sql.q, args.storageId || null, 1000);
}

/** What changed while the api was cut off from the event bus: the tasks matching the filter changed since. */
async function changedSince(ctx: ApiContext, args: TaskEventsArgs, since: Date): Promise<TaskRow[]> {
  if (args.taskId) return currentState(ctx, args);
  return findTasksChangedSince(ctx.sql.q, args.storageId || null, since, 10_000);
}

@Resolver(() => TaskEvent)
export class TaskEventResolver {
  @Authorized(needs('taskEvents'))
  @Subscription(() => TaskEvent, {
    description:
      'Starts with the current state of each matching open task (for taskId: of that task, whatever its state), then every event. No argument: all tasks. A taskId subscription completes after the task ends. A taskId or storageId that names nothing is an error at once (NOT_FOUND; BAD_USER_INPUT when it cannot be an id).',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, TaskEventsArgs, ApiContext>) => subscribe(context, args),
  })
  taskEvents(@Root() event: BusTaskEvent, @Args() _args: TaskEventsArgs): BusTaskEvent {
    return event;
  }
}
