// What every resolver receives: DataLoaders per operation, and the services shared by the process.
import type { Sql } from '../db/sql.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { Principal } from './auth/authenticate.js';
import type { EventRelay } from './subscriptions/event-relay.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { ResourceService } from './services/resource-service.js';
import type { ScheduleService } from './services/schedule-service.js';
import type { StorageService } from './services/storage-service.js';
import type { TaskService } from './services/task-service.js';
import type { MetricsConfigService } from './services/metrics-config-service.js';
import type { MetricSampleStream } from './subscriptions/metric-sample-stream.js';
import type { AlertService } from './services/alert-service.js';
import type { ApplyService } from './services/apply-service.js';

export interface ApiServices {
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
  apply: ApplyService;
}

export interface ApiContext extends ApiServices {
  loaders: Loaders;
  /** Who sent the operation (checked before any resolver runs). */
  principal: Principal;
  /**
   * The same caller with a fresh ORM context and loaders: a subscription lives long, and each of
   * its events must read relations (a task's storage) as they are now, as a query would.
   */
  forEvent(): ApiContext;
}

export function createContext(services: ApiServices, principal: Principal): ApiContext {
  return { ...services, loaders: createLoaders(services.sql, services.schedules, services.metricsConfigs), principal, forEvent: () => createContext(services, principal) };
}
