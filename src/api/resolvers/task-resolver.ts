import { Authorized, Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { TaskStatusEnum } from '../types/enums.js';
import { Storage } from '../types/storage.js';
import { Task, TaskConnection } from '../types/task.js';
import { PageArgs } from './storage-resolver.js';
import type { TaskStatus } from '../../db/entities/enums.js';

@Resolver(() => Task)
export class TaskResolver {
  @Authorized(needs('task'))
  @Query(() => Task, { nullable: true })
  task(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext) {
    return ctx.tasks.get(id);
  }

  @Authorized(needs('tasks'))
  @Query(() => TaskConnection, { description: 'Newest first.' })
  tasks(
    @Arg('storageId', () => ID, { nullable: true }) storageId: string | null,
    @Arg('status', () => [TaskStatusEnum], { nullable: true }) status: TaskStatus[] | null,
    @Args() page: PageArgs,
    @Ctx() ctx: ApiContext,
  ) {
    return ctx.tasks.list({ storageId, status, first: page.first, after: page.after });
  }

  @Authorized(needs('cancelTask'))
  @Mutation(() => Task, { description: 'A SCHEDULED or QUEUED task is removed from scheduling; a RUNNING one stops at its next step.' })
  cancelTask(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext) {
    return ctx.tasks.cancel(id);
  }

  @FieldResolver(() => Storage, { nullable: true, description: 'Null once the storage is deleted.' })
  storage(@Root() task: Task, @Ctx() ctx: ApiContext) {
    return ctx.loaders.storage.load(task.storageId);
  }
}
