// The GraphQL schema, built from the resolver classes. schema.graphql is printed from it
// (`delfin schema --write schema.graphql`) and committed; a test fails when it is stale.
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { Logger } from '../logger.js';
import { createLogger } from '../logger.js';
import { authChecker } from './auth/auth-checker.js';
import { errorMiddleware } from './rules/error-handling.js';
import { refuseNulCharacters } from './rules/nul-characters.js';
import { NatsPubSub } from './subscriptions/nats-pubsub.js';
import type { NatsConnection } from '@nats-io/transport-node';
import { DriverResolver } from './resolvers/driver-resolver.js';
import { StoragePoolResolver } from './resolvers/storage-pool-resolver.js';
import { StorageResolver } from './resolvers/storage-resolver.js';
import { SyncScheduleResolver } from './resolvers/sync-schedule-resolver.js';
import { TaskEventResolver } from './resolvers/task-event-resolver.js';
import { TaskResolver } from './resolvers/task-resolver.js';
import { VolumeResolver } from './resolvers/volume-resolver.js';
import { ControllerResolver, DiskResolver, PortResolver } from './resolvers/inventory-resolvers.js';
import { SyncStatsResolver } from './resolvers/sync-stats-resolver.js';
import { MetricsConfigResolver } from './resolvers/metrics-config-resolver.js';
import { MetricSampleResolver } from './resolvers/metric-sample-resolver.js';
import { AlertResolver, StorageAlertsResolver } from './resolvers/alert-resolver.js';
import { ApplyResolver } from './resolvers/apply-resolver.js';

export interface SchemaOptions {
  logger?: Logger;
  /** Absent when the schema is only printed. */
  nc?: NatsConnection;
  namespace?: string;
}

export async function createSchema(opts: SchemaOptions = {}): Promise<GraphQLSchema> {
  const logger = opts.logger ?? createLogger('silent');
  return buildSchema({
    pubSub: new NatsPubSub(() => opts.nc, `${opts.namespace ?? 'delfin'}.graphql`),
    resolvers: [StorageResolver, SyncScheduleResolver, StoragePoolResolver, VolumeResolver, DiskResolver, ControllerResolver, PortResolver, SyncStatsResolver, TaskResolver, TaskEventResolver, DriverResolver, MetricsConfigResolver, MetricSampleResolver, AlertResolver, StorageAlertsResolver, ApplyResolver],
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
    globalMiddlewares: [errorMiddleware(logger), refuseNulCharacters],
    authChecker,
  });
}

export async function printSchemaSDL(): Promise<string> {
  const header = '# Generated from the code by `npm run schema`; do not edit. The public contract is in ../shared/design/api-contract.graphql.\n\n';
  return header + printSchema(lexicographicSortSchema(await createSchema())) + '\n';
}
