// The alerts role: takes SNMP traps, matches each to its storage's alert source, parses it
// through the storage's driver, stores it once and publishes it. The sources live in
// PostgreSQL; this role reloads them when the api says they changed (NATS) and every
// RELOAD_EVERY_MS in case a message was missed.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import type { SecretBox } from '../db/secrets.js';
import type { Sql } from '../db/sql.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { DriverDescriptor, ParsedAlert, SnmpTrap } from '../drivers/driver.js';
import type { Logger } from '../logger.js';
import { AlertPublisher } from './alert-publisher.js';
import { AlertSourceStore } from './alert-source-store.js';
import type { AlertSource } from './alert-source.js';
import { AlertStore, FOREIGN_KEY_VIOLATION } from './alert-store.js';
import { CounterBuffer } from '../db/counter-buffer.js';
import { sourcesChangedSubject } from './alert.js';
import { DropCounter } from './drop-counter.js';
import { parseTrap } from './parse-trap.js';
import { TrapReceiver } from './trap-receiver.js';
import { BatchQueue } from './work-queue.js';
import { AlertRetention, type RetentionPolicy } from './alert-retention.js';
import { AlertmanagerExporter } from './alertmanager-exporter.js';

const RELOAD_EVERY_MS = 30_000;
/** Traps waiting for the database at once; more are dropped (reason queue_full), never held. */
const MAX_WAITING = 10_000;
/**
 * Traps written per statement; one batch at a time, so traps are stored in the order they came
 * (a clear after its raise).
 */
const STORE_BATCH = 500;
const STORE_CONCURRENCY = 1;

export interface AlertsDeps {
  sql: Sql;
  box: SecretBox;
  nc: NatsConnection;
  namespace: string;
  registry: DriverRegistry;
  logger: Logger;
  host: string;
  port: number;
  /** SO_RCVBUF asked for the trap socket (DELFIN_TRAP_RECEIVE_BUFFER_BYTES). */
  receiveBufferBytes?: number;
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
  let receiver: TrapReceiver | undefined;
  const drops = new DropCounter(metrics, d.logger, () => receiver?.kernelDrops());
  // Traps taken and stored, counted in PostgreSQL for every api replica to export (delfin_traps_*).
  const counters = new CounterBuffer(d.sql);
  const received = () => counters.add([{ metric: 'delfin_traps_received_total', labels: {}, value: 1 }]);
  const storedAs = (action: 'raised' | 'cleared', n: number) => n > 0 && counters.add([{ metric: 'delfin_traps_stored_total', labels: { action }, value: n }]);
  const sources = new AlertSourceStore(d.sql, d.box);
  const alerts = new AlertStore(d.sql);
  const publisher = new AlertPublisher(d.nc, d.namespace);
  let drivers = new Map<string, DriverDescriptor | undefined>();
  interface Taken {
    source: AlertSource;
    trap: SnmpTrap;
    fingerprint: string;
  }

  /** A clear names its alert by sequence number; a raise is written with the others of its batch. */
  const clear = async (t: Taken, sequenceNumber: string) => {
    const cleared = await alerts.clearBySequence(t.source.storageId, sequenceNumber, t.trap.receivedAt);
    if (cleared) {
      storedAs('cleared', 1);
      publisher.publish(cleared);
    } else d.logger.debug({ storageId: t.source.storageId, sequenceNumber }, 'a clear trap named no open alert');
  };

  const raiseOneByOne = async (raised: { t: Taken; alert: ParsedAlert }[]) => {
    for (const { t, alert } of raised) {
      const stored = await alerts.insert(t.source.storageId, alert, t.trap.receivedAt);
      if (stored === 'storage_gone') drops.drop('storage_deleted', t.trap.senderAddress);
      else if (stored !== 'duplicate') {
        storedAs('raised', 1);
        publisher.publish(stored);
      }
    }
  };

  const store = async (batch: Taken[]) => {
    const parsed = batch.map((t) => ({ t, alert: parseTrap(drivers.get(t.source.storageId), t.trap, t.fingerprint) }));
    const raised = parsed.filter((p) => p.alert.kind === 'raised');
    try {
      try {
        const stored = await alerts.insertMany(raised.map(({ t, alert }) => ({ storageId: t.source.storageId, alert, receivedAt: t.trap.receivedAt })));
        storedAs('raised', stored.length);
        for (const a of stored) publisher.publish(a);
        const duplicates = raised.length - stored.length;
        if (duplicates > 0) d.logger.debug({ duplicates }, 'alert already stored (by another receiver, or sent again)');
      } catch (err) {
        // A storage deleted meanwhile fails the whole statement: then row by row.
        if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw err;
        await raiseOneByOne(raised);
      }
      for (const p of parsed) if (p.alert.kind === 'cleared') await clear(p.t, p.alert.sequenceNumber);
    } catch (err) {
      for (const t of batch) drops.drop('store_failed', t.trap.senderAddress);
      d.logger.warn({ traps: batch.length, err: (err as Error).message }, 'could not store alerts');
    }
  };
  const queue = new BatchQueue<Taken>(MAX_WAITING, STORE_BATCH, STORE_CONCURRENCY, store);

  receiver = new TrapReceiver(
    {
      trap: (source, trap, fingerprint) => {
        received();
        if (!queue.push({ source, trap, fingerprint })) drops.drop('queue_full', trap.senderAddress);
      },
      drop: (reason, sender) => {
        received();
        drops.drop(reason, sender);
      },
    },
    d.receiveBufferBytes,
  );

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
  counters.start();
  warnOfSmallBuffer(d, receiver.receiveBufferBytes);
  const retention = new AlertRetention(alerts, d.retention, metrics, d.logger);
  retention.start();
  const alertmanager = d.alertmanagerUrl ? new AlertmanagerExporter(d.alertmanagerUrl, { nc: d.nc, namespace: d.namespace, sql: d.sql, alerts, logger: d.logger }) : undefined;
  alertmanager?.start();
  const sub: Subscription = d.nc.subscribe(sourcesChangedSubject(d.namespace), { callback: () => void reload() });
  const timer = setInterval(() => void reload(), RELOAD_EVERY_MS);
  timer.unref();
  d.logger.info({ host: d.host, port, receiveBufferBytes: receiver.receiveBufferBytes }, 'alerts started: taking SNMP traps');
  return {
    port,
    metrics,
    async stop() {
      clearInterval(timer);
      retention.stop();
      sub.unsubscribe();
      await receiver.close();
      await queue.drain();
      await counters.stop();
      await alertmanager?.stop();
    },
  };
}

/** Linux grants twice what is asked, up to twice net.core.rmem_max: less says the cap cut it. */
function warnOfSmallBuffer(d: AlertsDeps, granted: number): void {
  const asked = d.receiveBufferBytes;
  if (!asked || granted === 0 || granted >= asked) return;
  d.logger.warn(
    { askedBytes: asked, grantedBytes: granted },
    'the trap socket got a smaller receive buffer than DELFIN_TRAP_RECEIVE_BUFFER_BYTES asks (raise net.core.rmem_max); a burst beyond it is lost in the kernel and counted as receive_buffer_full',
  );
}

/** The driver of every storage that has an alert source. */
async function driversOf(sql: Sql, registry: DriverRegistry): Promise<Map<string, DriverDescriptor | undefined>> {
  const rows = await sql.query<{ id: string; vendor: string; model: string }>(
    'select s.id, s.vendor, s.model from storage s join alert_source a on a.storage_id = s.id',
  );
  return new Map(rows.map((r) => [r.id, registry.find(r.vendor, r.model)]));
}
