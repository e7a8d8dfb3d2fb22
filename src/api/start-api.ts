// The api role: services, event relay, schema and server, wired from the shared connections.
// Loaded only by processes that run the api (a worker never loads Apollo or type-graphql).
import type { NatsConnection } from '@nats-io/transport-node';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Orm } from '../db/database.js';
import type { SecretBox } from '../db/secrets.js';
import type { Sql } from '../db/sql.js';
import type { BusNames } from '../bus/subjects.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { TaskEnqueuer } from '../tasks/enqueue.js';
import type { ScheduleClient } from '../scheduler/schedule-client.js';
import { TokenTable } from './auth/tokens.js';
import { EventRelay } from './event-relay.js';
import { createSchema } from './schema.js';
import { startApiServer } from './server.js';
import { ResourceService } from './services/resource-service.js';
import { ScheduleService } from './services/schedule-service.js';
import { StorageService } from './services/storage-service.js';
import { TaskService } from './services/task-service.js';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  orm: Orm;
  sql: Sql;
  box: SecretBox;
  nc: NatsConnection;
  names: BusNames;
  registry: DriverRegistry;
  enqueuer: TaskEnqueuer;
  /** The scheduler's jobs, as the api changes them. */
  schedules: ScheduleClient;
}

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export async function startApi(d: ApiDeps): Promise<RunningApi> {
  const relay = new EventRelay(d.nc, d.names);
  relay.start();
  const driverTimeoutMs = d.config.policy.drivers.callTimeoutSeconds * 1000;
  const { minIntervalSeconds, defaultSync } = d.config.policy.schedules;
  const schedules = new ScheduleService({
    sql: d.sql,
    enqueuer: d.enqueuer,
    client: d.schedules,
    minIntervalSeconds,
    defaultSync: defaultSync?.cron !== undefined ? { cron: defaultSync.cron } : defaultSync?.intervalSeconds !== undefined ? { intervalSeconds: defaultSync.intervalSeconds } : undefined,
    logger: d.logger,
  });
  const services = {
    orm: d.orm,
    sql: d.sql,
    registry: d.registry,
    relay,
    storages: new StorageService({ sql: d.sql, box: d.box, registry: d.registry, enqueuer: d.enqueuer, schedules, driverTimeoutMs }),
    tasks: new TaskService({ sql: d.sql, enqueuer: d.enqueuer, schedules }),
    resources: new ResourceService(),
    schedules,
  };
  const schema = await createSchema({ logger: d.logger, nc: d.nc, namespace: d.config.namespace });
  const server = await startApiServer({
    host: d.config.host,
    port: d.config.port,
    schema,
    services,
    nc: d.nc,
    logger: d.logger,
    tokens: new TokenTable(d.config.tokens),
    limits: d.config.policy.api,
    introspection: d.config.introspection,
  });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      relay.stop();
    },
  };
}
