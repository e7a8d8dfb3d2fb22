import { Args, ArgsType, Authorized, Field, ID, Resolver, Root, Subscription } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { SubscribeResolverData } from 'type-graphql';
import type { ResourceType } from '../../drivers/driver.js';
import { AppError, notFound } from '../../errors.js';
import type { ApiContext } from '../context.js';
import { mustBeId } from '../services/ids.js';
import { ResourceTypeEnum } from '../types/enums.js';
import { MetricBatch } from '../types/metrics.js';

@ArgsType()
class MetricSamplesArgs {
  @Field(() => ID)
  storageId!: string;

  @Field(() => ResourceTypeEnum, { nullable: true, description: 'Absent: every resource type.' })
  resourceType?: ResourceType | null;
}

async function subscribe(ctx: ApiContext, args: MetricSamplesArgs) {
  if (!ctx.metricSamples) throw new AppError('FORBIDDEN', 'The GraphQL metrics exporter is disabled in the policy file (metrics.exporters.graphql).');
  // A storage that does not exist would never send a batch: refused at once, not waited on.
  if (!(await ctx.storages.get(mustBeId(args.storageId, 'storageId')))) throw notFound('storage', args.storageId);
  return ctx.metricSamples.subscribe(args.storageId, args.resourceType);
}

@Resolver(() => MetricBatch)
export class MetricSampleResolver {
  @Authorized(needs('metricSamples'))
  @Subscription(() => MetricBatch, {
    description: 'Performance samples of a storage as workers collect them: one event per exported batch.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, MetricSamplesArgs, ApiContext>) => subscribe(context, args),
  })
  metricSamples(@Root() batch: MetricBatch, @Args() _args: MetricSamplesArgs): MetricBatch {
    return batch;
  }
}
