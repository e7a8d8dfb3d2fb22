import { Authorized, Args, ArgsType, Field, ID, Resolver, Root, Subscription } from 'type-graphql';
import { needs } from '../auth/roles.js';
import type { SubscribeResolverData } from 'type-graphql';
import type { ApiContext } from '../context.js';
import { TaskEvent } from '../types/task.js';
import type { TaskEvent as BusTaskEvent } from '../../bus/task-events.js';
import { findOpenTasks, findTasksChangedSince, getTask, type TaskRow } from '../../db/stores/task-store.js';
import { isId } from '../../lib/ids.js';

@ArgsType()
class TaskEventsArgs {
  @Field(() => ID, { nullable: true })
  taskId?: string | null;

  @Field(() => ID, { nullable: true })
  storageId?: string | null;
}

/** Open tasks matching the filter, or the one task whatever its state. */
async function currentState(ctx: ApiContext, args: TaskEventsArgs): Promise<TaskRow[]> {
  if (args.taskId) {
    const task = isId(args.taskId) ? await getTask(ctx.sql.q, args.taskId) : undefined;
    return task ? [task] : [];
  }
  const storage = args.storageId && isId(args.storageId) ? args.storageId : null;
  if (args.storageId && !storage) return [];
  return findOpenTasks(ctx.sql.q, storage, 1000);
}

/** What changed while the api was cut off from the event bus: the tasks matching the filter changed since. */
async function changedSince(ctx: ApiContext, args: TaskEventsArgs, since: Date): Promise<TaskRow[]> {
  if (args.taskId) return currentState(ctx, args);
  const storage = args.storageId && isId(args.storageId) ? args.storageId : null;
  if (args.storageId && !storage) return [];
  return findTasksChangedSince(ctx.sql.q, storage, since, 10_000);
}

@Resolver(() => TaskEvent)
export class TaskEventResolver {
  @Authorized(needs('taskEvents'))
  @Subscription(() => TaskEvent, {
    description:
      'Starts with the current state of each matching open task (for taskId: of that task, whatever its state), then every event. No argument: all tasks. A taskId subscription completes after the task ends.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, TaskEventsArgs, ApiContext>) =>
      context.relay.subscribe(args, () => currentState(context, args), (since) => changedSince(context, args, since)),
  })
  taskEvents(@Root() event: BusTaskEvent, @Args() _args: TaskEventsArgs): BusTaskEvent {
    return event;
  }
}
