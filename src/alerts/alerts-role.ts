// The alerts role: takes SNMP traps, matches each to its storage's alert source, parses it
// through the storage's driver, stores it once and publishes it. The sources live in
// PostgreSQL; this role reloads them when the api says they changed (NATS) and every
// RELOAD_EVERY_MS in case a message was missed.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import type { SecretBox } from '../db/secrets.js';
import type { Sql } from '../db/sql.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { DriverDescriptor, SnmpTrap } from '../drivers/driver.js';
import type { Logger } from '../logger.js';
import { AlertPublisher } from './alert-publisher.js';
import { AlertSourceStore } from './alert-source-store.js';
import type { AlertSource } from './alert-source.js';
import { AlertStore } from './alert-store.js';
import { sourcesChangedSubject } from './alert.js';
import { DropCounter } from './drop-counter.js';
import { parseTrap } from './parse-trap.js';
import { TrapReceiver } from './trap-receiver.js';
import { WorkQueue } from './work-queue.js';
import { AlertRetention, type RetentionPolicy } from './alert-retention.js';
import { AlertmanagerExporter } from './alertmanager-exporter.js';

const RELOAD_EVERY_MS = 30_000;
/** Traps waiting for the database at once; more are dropped (reason queue_full), never held. */
const MAX_WAITING = 10_000;
const STORE_CONCURRENCY = 8;

export interface AlertsDeps {
  sql: Sql;
  box: SecretBox;
  nc: NatsConnection;
  namespace: string;
  registry: DriverRegistry;
  logger: Logger;
  host: string;
  port: number;
  retention: RetentionPolicy;
  alertmanagerUrl?: string;
}

export interface RunningAlerts {
  /** The UDP port traps are taken on. */
  port: number;
  /** The role's Prometheus metrics (delfin_traps_dropped_total). */
  metrics: Registry;
  stop(): Promise<void>;
}

export async function startAlerts(d: AlertsDeps): Promise<RunningAlerts> {
  const metrics = new Registry();
  const drops = new DropCounter(metrics, d.logger);
  const sources = new AlertSourceStore(d.sql, d.box);
  const alerts = new AlertStore(d.sql);
  const publisher = new AlertPublisher(d.nc, d.namespace);
  let drivers = new Map<string, DriverDescriptor | undefined>();
  const queue = new WorkQueue(MAX_WAITING, STORE_CONCURRENCY);

  const take = async (source: AlertSource, trap: SnmpTrap, fingerprint: string) => {
    const parsed = parseTrap(drivers.get(source.storageId), trap, fingerprint);
    if (parsed.kind === 'cleared') {
      const cleared = await alerts.clearBySequence(source.storageId, parsed.sequenceNumber, trap.receivedAt);
      if (cleared) publisher.publish(cleared);
      else d.logger.debug({ storageId: source.storageId, sequenceNumber: parsed.sequenceNumber }, 'a clear trap named no open alert');
      return;
    }
    const stored = await alerts.insert(source.storageId, parsed, trap.receivedAt);
    if (stored === 'duplicate') d.logger.debug({ storageId: source.storageId, sequenceNumber: parsed.sequenceNumber }, 'alert already stored (by another receiver, or sent again)');
    else if (stored === 'storage_gone') drops.drop('storage_deleted', trap.senderAddress);
    else publisher.publish(stored);
  };

  const receiver = new TrapReceiver({
    trap: (source, trap, fingerprint) => {
      const queued = queue.push(() =>
        take(source, trap, fingerprint).catch((err: Error) => {
          drops.drop('store_failed', trap.senderAddress);
          d.logger.warn({ storageId: source.storageId, err: err.message }, 'could not store an alert');
        }),
      );
      if (!queued) drops.drop('queue_full', trap.senderAddress);
    },
    drop: (reason, sender) => drops.drop(reason, sender),
  });

  const reload = async () => {
    try {
      const { sources: all, unreadable } = await sources.allOpened();
      drivers = await driversOf(d.sql, d.registry);
      receiver.setSources(all);
      if (unreadable.length) d.logger.error({ storageIds: unreadable }, 'alert source secrets do not open with DELFIN_SECRET_KEY; their traps are dropped');
    } catch (err) {
      d.logger.warn({ err: (err as Error).message }, 'could not reload alert sources; keeping the ones known');
    }
  };
  await reload();
  const port = await receiver.listen(d.host, d.port);
  const retention = new AlertRetention(alerts, d.retention, metrics, d.logger);
  retention.start();
  const alertmanager = d.alertmanagerUrl ? new AlertmanagerExporter(d.alertmanagerUrl, { nc: d.nc, namespace: d.namespace, sql: d.sql, alerts, logger: d.logger }) : undefined;
  alertmanager?.start();
  const sub: Subscription = d.nc.subscribe(sourcesChangedSubject(d.namespace), { callback: () => void reload() });
  const timer = setInterval(() => void reload(), RELOAD_EVERY_MS);
  timer.unref();
  d.logger.info({ host: d.host, port }, 'alerts started: taking SNMP traps');
  return {
    port,
    metrics,
    async stop() {
      clearInterval(timer);
      retention.stop();
      sub.unsubscribe();
      await receiver.close();
      await queue.drain();
      await alertmanager?.stop();
    },
  };
}

/** The driver of every storage that has an alert source. */
async function driversOf(sql: Sql, registry: DriverRegistry): Promise<Map<string, DriverDescriptor | undefined>> {
  const rows = await sql.query<{ id: string; vendor: string; model: string }>(
    'select s.id, s.vendor, s.model from storage s join alert_source a on a.storage_id = s.id',
  );
  return new Map(rows.map((r) => [r.id, registry.find(r.vendor, r.model)]));
}
