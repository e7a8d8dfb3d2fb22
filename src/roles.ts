// The composition root: opens the services a set of roles needs, starts the roles, and stops
// them in reverse order on SIGTERM/SIGINT (graceful: a worker finishes or hands back its tasks).
import { ConfigError, loadConfig, type Config } from './config.js';
import { isLoopbackHost } from './lib/loopback.js';
import { createLogger, type Logger } from './logger.js';
import { migrateDatabase } from './db/database.js';
import { databaseConnectError } from './db/connect-error.js';
import { loadSecretBox } from './db/secrets.js';
import { Sql } from './db/sql.js';
import { CounterBuffer } from './db/counter-buffer.js';
import { busNames, connectNats, TaskEventPublisher, TaskQueue, type BusNames, type NatsConnection } from './bus/index.js';
import { loadDriverRegistry } from './drivers/plugins.js';
import { deviceOpener } from './tasks/runtime/open-device.js';
import { TaskEnqueuer } from './tasks/queueing/enqueue.js';
import { Worker } from './tasks/worker.js';
import { ServiceUnreachableError } from './lib/service-unreachable.js';
import { whenJetStreamAnswers } from './bus/await-jetstream.js';
import { StrandedTaskRelay } from './tasks/queueing/stranded-tasks.js';
import { MetricsDispatcher } from './exporters/dispatcher.js';
import { NatsExporter } from './exporters/nats-exporter.js';
import { InventoryPublisher } from './exporters/inventory-message.js';
import type { JobStore } from './scheduler/job-store.js';
import type { Scheduler } from './scheduler/scheduler.js';
import type { RunningApi } from './api/start-api.js';
import type { RunningAlerts } from './alerts/alerts-role.js';
import { AlertPublisher } from './alerts/alert-publisher.js';

export type Role = 'api' | 'worker' | 'scheduler' | 'alerts';
export const ALL_ROLES: readonly Role[] = ['api', 'worker', 'scheduler', 'alerts'];

export interface RunningRoles {
  config: Config;
  api?: RunningApi;
  alerts?: RunningAlerts;
  stop(): Promise<void>;
}

const JETSTREAM_HOW_TO =
  'check that the servers run with JetStream on (`-js`) and, on a cluster, that most of its nodes are up so it has a leader';

export async function startRoles(roles: readonly Role[], config: Config = loadConfig()): Promise<RunningRoles> {
  // A PostgreSQL that refuses a connection at any step of start-up (too many clients) ends it
  // with one line saying so, like one that is not there at all.
  return startRolesNow(roles, config).catch((err: unknown) => {
    throw databaseConnectError(err, config.databaseUrl) ?? err;
  });
}

async function startRolesNow(roles: readonly Role[], config: Config): Promise<RunningRoles> {
  if (roles.includes('api')) refuseOpenApiWithoutTokens(config);
  // First: a driver package that cannot be used stops start-up before anything is opened.
  const registry = await loadDriverRegistry(config.driverPackages);
  const logger = createLogger(config.logLevel, roles.join('+'), config.logFormat);
  if (config.driverPackages.length > 0) {
    logger.info(`driver packages loaded (${config.driverPackages.join(', ')}); drivers: ${registry.list().map((d) => `${d.vendor}/${d.model}`).join(', ')}`);
  }
  const box = loadSecretBox(config.secretKey, config.secretKeyFile, (m) => logger.warn(m));
  await migrateDatabase(config.databaseUrl, { log: (m) => logger.info(m.replace(/\x1b\[[0-9;]*m/g, '')) });
  // One pool per process, for every read and write.
  const sql = new Sql(config.databaseUrl, config.policy.database.poolSize);
  const nc = await connectNats(config.natsUrl, `delfin-${roles.join('+')}-${process.pid}`);
  watchNats(nc, logger);
  const names = busNames(config.namespace);
  const queue = await openTaskQueue(nc, names, config, logger);
  const events = new TaskEventPublisher(nc, names);
  const driverTimeoutMs = config.policy.drivers.callTimeoutSeconds * 1000;
  const enqueuer = new TaskEnqueuer(sql, queue, events, logger);
  const instance = `${roles.join('+')}-${process.pid}`;

  // The scheduler alone opens the job store (Agenda, MongoDB): an api never does, so it serves,
  // and takes schedule changes into PostgreSQL, while the job store is away.
  let store: JobStore | undefined;
  let scheduler: Scheduler | undefined;
  if (roles.includes('scheduler')) {
    const { resolveJobStore } = await import('./scheduler/job-store.js');
    const { Scheduler } = await import('./scheduler/scheduler.js');
    store = await resolveJobStore(config, logger);
    scheduler = await Scheduler.start({ store, policy: config.policy, instance, sql, enqueuer, logger, nc, names }).catch(async (err) => {
      await store?.standIn?.stop();
      throw err;
    });
  }

  let worker: Worker | undefined;
  // Tasks whose maker died between their commit and their publish: the workers publish them.
  let relay: StrandedTaskRelay | undefined;
  // The worker's driver calls, counted in PostgreSQL (delfin_driver_call_*), for every api to export.
  let counters: CounterBuffer | undefined;
  if (roles.includes('worker')) {
    counters = new CounterBuffer(sql);
    counters.start();
    const devices = deviceOpener(sql, box, registry, driverTimeoutMs, counters);
    // Workers export through NATS only: every api process feeds its Prometheus exporter and
    // subscriptions from there, so any number of workers needs no discovery.
    const natsOn = config.policy.metrics.exporters.nats.enabled;
    const metrics = natsOn ? new MetricsDispatcher([new NatsExporter(nc, config.namespace)], logger) : undefined;
    const inventory = natsOn ? new InventoryPublisher(nc, config.namespace) : undefined;
    // Alerts a sync reads from a device are announced like the receiver's (alertEvents, Alertmanager).
    const alertPublisher = new AlertPublisher(nc, config.namespace);
    worker = new Worker(nc, names, queue, { sql, devices, events, policy: config.policy, logger, metrics, inventory, alerts: alertPublisher });
    worker.start();
    relay = new StrandedTaskRelay(sql, enqueuer, queue, config.policy.worker.strandedAfterSeconds, logger);
    relay.start();
  }

  // The SNMP trap receiver (issue 15). Imported here: other roles never load net-snmp.
  let alerts: RunningAlerts | undefined;
  if (roles.includes('alerts')) {
    const { startAlerts } = await import('./alerts/alerts-role.js');
    const starting = startAlerts({ sql, box, nc, namespace: config.namespace, registry, logger, ...config.trap, retention: config.policy.alerts, alertmanagerUrl: config.alertmanagerUrl });
    // Alone, a receiver that cannot bind its port is a failed start; inside `delfin all` (development,
    // often without the right to port 162) the other roles still run, and the log says why.
    alerts = roles.length === 1 ? await starting : await starting.catch((err: Error) => {
      logger.error(`the alerts role cannot take traps on ${config.trap.host}:${config.trap.port} (${err.message}); set DELFIN_TRAP_PORT to a free port`);
      return undefined;
    });
  }

  // Alone (no api to serve them), the receiver's metrics on a port of their own when asked.
  let alertsMetrics: { close(): Promise<void> } | undefined;
  if (alerts && !roles.includes('api') && config.alertsMetricsPort !== undefined) {
    const { serveAlertsMetrics } = await import('./alerts/metrics-server.js');
    alertsMetrics = await serveAlertsMetrics(alerts.metrics, config.host, config.alertsMetricsPort);
    logger.info({ port: config.alertsMetricsPort }, 'alerts metrics served at /metrics');
  }

  let api: RunningApi | undefined;
  if (roles.includes('api')) {
    // Imported here: a worker process never loads the GraphQL stack.
    const { startApi } = await import('./api/start-api.js');
    api = await startApi({ config, logger, sql, box, nc, names, registry, enqueuer, processMetrics: alerts?.metrics });
  }

  const stop = async () => {
    await api?.stop();
    logger.debug('api stopped');
    await scheduler?.stop();
    logger.debug('scheduler stopped');
    await relay?.stop();
    await worker?.stop(config.policy.worker.shutdownGraceSeconds * 1000);
    logger.debug('worker stopped');
    await counters?.stop();
    await alertsMetrics?.close();
    await alerts?.stop();
    logger.debug('alerts stopped');
    await nc.drain().catch(() => undefined);
    logger.debug('nats drained');
    await sql.close();
    await store?.standIn?.stop();
    logger.info('stopped');
  };
  return { config, api, alerts, stop };
}

/**
 * The task stream and its consumers, once JetStream answers: a cluster without a leader yet is
 * waited for (`bus.startWaitSeconds`; the process is not ready meanwhile); past that, or with
 * JetStream turned off, start-up ends with one line.
 */
async function openTaskQueue(nc: NatsConnection, names: BusNames, config: Config, logger: Logger): Promise<TaskQueue> {
  const waitSeconds = config.policy.bus.startWaitSeconds;
  let lastLog = -Infinity;
  const open = () => TaskQueue.open(nc, names, {
    ackWaitSeconds: config.policy.worker.ackWaitSeconds,
    replicas: config.streamReplicas,
    publishRetrySeconds: config.policy.bus.publishRetrySeconds,
  });
  const onRetry = (err: unknown, waitedMs: number) => {
    if (waitedMs - lastLog < 15_000) return;
    lastLog = waitedMs;
    const why = err instanceof Error ? err.message : String(err);
    logger.warn(`NATS JetStream does not answer yet (${why}); waiting for it (${Math.round(waitedMs / 1000)} of ${waitSeconds} s)`);
  };
  return whenJetStreamAnswers(open, { waitSeconds, onRetry }).catch(async (err: unknown) => {
    await nc.close().catch(() => undefined);
    throw new ServiceUnreachableError('NATS JetStream', config.natsUrl, JETSTREAM_HOW_TO, err);
  });
}

/** Without tokens the api serves loopback clients only, so it must not listen further out. */
function refuseOpenApiWithoutTokens(config: Config): void {
  if (config.tokens.length > 0 || isLoopbackHost(config.host)) return;
  throw new ConfigError(
    `HOST=${config.host} is not a loopback address and no token is configured: set DELFIN_TOKENS (or auth.tokens in the policy file; \`delfin token create\` makes one), or listen on 127.0.0.1.`,
  );
}

async function watchNats(nc: NatsConnection, logger: Logger): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect') logger.warn('lost the connection to NATS; reconnecting');
    if (s.type === 'reconnect') logger.info('reconnected to NATS');
  }
}
