// What every resolver receives: a fresh ORM context and DataLoaders per operation, and the
// services shared by the process.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../db/database.js';
import type { Sql } from '../db/sql.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { Principal } from './auth/authenticate.js';
import type { EventRelay } from './event-relay.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { ResourceService } from './services/resource-service.js';
import type { ScheduleService } from './services/schedule-service.js';
import type { StorageService } from './services/storage-service.js';
import type { TaskService } from './services/task-service.js';
import type { MetricsConfigService } from './services/metrics-config-service.js';
import type { MetricSampleStream } from './metric-sample-stream.js';
import type { AlertService } from './services/alert-service.js';

export interface ApiServices {
  orm: Orm;
  sql: Sql;
  registry: DriverRegistry;
  relay: EventRelay;
  storages: StorageService;
  tasks: TaskService;
  resources: ResourceService;
  schedules: ScheduleService;
  metricsConfigs: MetricsConfigService;
  /** Absent when the GraphQL metrics exporter is disabled. */
  metricSamples?: MetricSampleStream;
  alerts: AlertService;
}

export interface ApiContext extends ApiServices {
  em: EntityManager;
  loaders: Loaders;
  /** Who sent the operation (checked before any resolver runs). */
  principal: Principal;
}

export function createContext(services: ApiServices, principal: Principal): ApiContext {
  const em = services.orm.em.fork() as EntityManager;
  return { ...services, em, loaders: createLoaders(em, services.sql, services.schedules, services.metricsConfigs), principal };
}
