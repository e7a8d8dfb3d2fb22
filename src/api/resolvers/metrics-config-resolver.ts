import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { MetricsConfig, MetricsConfigInput } from '../types/metrics.js';
import { Storage } from '../types/storage.js';

/** A storage's metrics-config: metricsConfig, updateMetricsConfig and Storage.metricsConfig. */
@Resolver(() => Storage)
export class MetricsConfigResolver {
  @Authorized(needs('metricsConfig'))
  @Query(() => MetricsConfig, { description: 'How the array, pools and volumes of a storage are polled for performance.' })
  metricsConfig(@Arg('storageId', () => ID) storageId: string, @Ctx() ctx: ApiContext) {
    return ctx.metricsConfigs.get(storageId);
  }

  @Authorized(needs('updateMetricsConfig'))
  @Mutation(() => MetricsConfig, {
    description:
      'Changes how a storage is polled for performance; the pollings left out stay. Takes effect at once: enabling starts polling, disabling stops it (its series leave the exporters), a new interval moves it.',
  })
  updateMetricsConfig(
    @Arg('storageId', () => ID) storageId: string,
    @Arg('input', () => MetricsConfigInput) input: MetricsConfigInput,
    @Ctx() ctx: ApiContext,
  ) {
    return ctx.metricsConfigs.update(storageId, input);
  }

  @FieldResolver(() => MetricsConfig, { name: 'metricsConfig' })
  metricsConfigOf(@Root() storage: Storage, @Ctx() ctx: ApiContext) {
    return ctx.loaders.metricsConfigOf.load(storage.id);
  }
}
