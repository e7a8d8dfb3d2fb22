// The api role: services, event relay, schema and server, wired from the shared connections.
// Loaded only by processes that run the api (a worker never loads Apollo or type-graphql).
import { setJsonLimits } from './json-scalar.js';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { SecretBox } from '../db/secrets.js';
import type { Sql } from '../db/sql.js';
import type { BusNames } from '../bus/subjects.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { TaskEnqueuer } from '../tasks/queueing/enqueue.js';
import { ScheduleNotice } from '../bus/schedule-notice.js';
import { TokenTable } from '../auth/tokens.js';
import { authenticateRequest } from './auth/authenticate.js';
import { AppError } from '../errors.js';
import type { Request, Response } from 'express';
import { EventRelay } from './subscriptions/event-relay.js';
import { findTasksPastVersions } from '../db/stores/task-store.js';
import { createSchema } from './schema.js';
import { startApiServer } from './http/server.js';
import { ResourceService } from './services/resource-service.js';
import { ScheduleService } from './services/schedule-service.js';
import { ApplyService } from './services/apply-service.js';
import { StorageService } from './services/storage-service.js';
import { TaskService } from './services/task-service.js';
import { MetricsConfigService } from './services/metrics-config-service.js';
import { MetricSampleStream } from './subscriptions/metric-sample-stream.js';
import { AlertService } from './services/alert-service.js';
import { MetricsFeed } from '../exporters/metrics-feed.js';
import { PrometheusExporter } from '../exporters/prometheus-exporter.js';
import { NatsExporter } from '../exporters/nats-exporter.js';
import { DatabaseFigures } from '../exporters/database-figures.js';
import { CounterBuffer } from '../db/counter-buffer.js';
import type { Registry } from 'prom-client';
import { deviceOpener } from '../tasks/runtime/open-device.js';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  sql: Sql;
  box: SecretBox;
  nc: NatsConnection;
  names: BusNames;
  registry: DriverRegistry;
  enqueuer: TaskEnqueuer;
  /** Metrics of other roles in this process (the alerts role's), added to /metrics. */
  processMetrics?: Registry;
}

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export async function startApi(d: ApiDeps): Promise<RunningApi> {
  // A subscriber whose event was lost gets the row instead, after a round (event-relay.ts).
  const relay = new EventRelay(d.nc, d.names, {
    everySeconds: d.config.policy.api.eventRecheckSeconds,
    rowsPastVersions: (known, settledSeconds) => findTasksPastVersions(d.sql.q, known, settledSeconds),
  });
  relay.start();
  const driverTimeoutMs = d.config.policy.drivers.callTimeoutSeconds * 1000;
  const { minIntervalSeconds, defaultSync } = d.config.policy.schedules;
  // Schedules are written to PostgreSQL only; the scheduler is told, and applies them.
  const notice = new ScheduleNotice(d.nc, d.names, d.logger);
  const schedules = new ScheduleService({
    sql: d.sql,
    enqueuer: d.enqueuer,
    notice,
    minIntervalSeconds,
    defaultSync: defaultSync?.cron !== undefined ? { cron: defaultSync.cron } : defaultSync?.intervalSeconds !== undefined ? { intervalSeconds: defaultSync.intervalSeconds } : undefined,
    logger: d.logger,
  });
  const metricsPolicy = d.config.policy.metrics;
  // The api's own driver calls (registration probes, capabilities), counted with the workers'.
  const counters = new CounterBuffer(d.sql);
  counters.start();
  const natsExporter = new NatsExporter(d.nc, d.config.namespace);
  const metricsConfigs = new MetricsConfigService({
    sql: d.sql,
    notice,
    policy: metricsPolicy,
    retire: (what) => natsExporter.retire(what),
    logger: d.logger,
  });
  // Prometheus scrapes any api replica: each one reads every batch the workers publish.
  const prometheus = metricsPolicy.exporters.prometheus.enabled ? new PrometheusExporter() : undefined;
  const feed = prometheus ? new MetricsFeed(d.nc, d.config.namespace, [prometheus], d.logger) : undefined;
  feed?.start();
  const storages = new StorageService({ sql: d.sql, box: d.box, registry: d.registry, enqueuer: d.enqueuer, schedules, metrics: metricsConfigs, driverTimeoutMs, counters });
  const alerts = new AlertService(d.sql, d.box, d.nc, d.config.namespace, deviceOpener(d.sql, d.box, d.registry, driverTimeoutMs));
  // Inventory and the system's figures are read from PostgreSQL at scrape time: the same on every replica.
  const figures = prometheus ? new DatabaseFigures(d.sql, d.nc, metricsPolicy.inventory) : undefined;
  const services = {
    sql: d.sql,
    registry: d.registry,
    relay,
    storages,
    tasks: new TaskService({ sql: d.sql, enqueuer: d.enqueuer, schedules }),
    resources: new ResourceService(d.sql),
    schedules,
    metricsConfigs,
    metricSamples: metricsPolicy.exporters.graphql.enabled ? new MetricSampleStream(d.nc, d.config.namespace) : undefined,
    alerts,
    apply: new ApplyService({ sql: d.sql, box: d.box, registry: d.registry, storages, schedules, metricsConfigs, alerts, logger: d.logger }),
  };
  const tokens = new TokenTable(d.config.tokens);
  setJsonLimits({ maxDepth: d.config.policy.api.maxJsonDepth, maxBytes: d.config.policy.api.maxJsonBytes });
  const schema = await createSchema({ logger: d.logger, nc: d.nc, namespace: d.config.namespace });
  const server = await startApiServer({
    host: d.config.host,
    port: d.config.port,
    schema,
    services,
    nc: d.nc,
    logger: d.logger,
    playground: d.config.playground,
    mount: (app) => {
      if (prometheus && figures) app.get('/metrics', prometheusEndpoint(prometheus, figures, tokens, d.processMetrics));
    },
    tokens,
    limits: d.config.policy.api,
    introspection: d.config.introspection,
    allowedOrigins: d.config.allowedOrigins,
  });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      relay.stop();
      feed?.stop();
      await counters.stop();
    },
  };
}

/**
 * Prometheus' scrape endpoint: the performance series this replica read from NATS, then the
 * inventory and system figures read from PostgreSQL (../exporters/database-figures.ts). Storage
 * names and serial numbers are in its labels, so it asks what GraphQL asks: a token (any role;
 * Prometheus sends it with `authorization.credentials_file`), or loopback when none is configured.
 */
function prometheusEndpoint(exporter: PrometheusExporter, figures: DatabaseFigures, tokens: TokenTable, processMetrics?: Registry) {
  return async (req: Request, res: Response) => {
    try {
      authenticateRequest(tokens, req);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      res.status(401).json({ errors: [{ message: err.message, extensions: { code: err.code } }] });
      return;
    }
    res.set('Content-Type', exporter.registry.contentType);
    const [samples, read] = await Promise.all([exporter.metrics(), figures.render()]);
    // end(), not send(): no ETag hashed over megabytes that change at every scrape.
    res.end(samples + read + (processMetrics ? await processMetrics.metrics() : ''));
  };
}
