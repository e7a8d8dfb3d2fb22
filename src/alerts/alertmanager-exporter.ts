// Prometheus Alertmanager export (DELFIN_ALERTMANAGER_URL): every new and cleared alert, as the
// NATS subject carries it, is posted to Alertmanager's v2 API; open alerts are re-sent every
// RESEND_EVERY_MS, as Alertmanager expects (it resolves an alert not heard of for its
// resolve_timeout); a clear is sent as the alert with its endsAt. Posting runs beside the
// receiver, never in its way: a failed post keeps its alerts (bounded) for the next attempt.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Sql } from '../db/sql.js';
import type { AlertStore } from './alert-store.js';
import type { Logger } from '../logger.js';
import { redactUrl } from '../lib/redact-url.js';
import { alertSubject, fromMessage, type AlertMessage, type AlertRecord } from './alert.js';

const FLUSH_EVERY_MS = 1000;
const RESEND_EVERY_MS = 60_000;
const MAX_PENDING = 10_000;
const BATCH = 500;
const POST_TIMEOUT_MS = 10_000;
/** Retries back off from 2 s, doubling, to this at most. */
const MAX_BACKOFF_MS = 15_000;

interface StorageLabels {
  name: string;
  serialNumber: string;
}

export class AlertmanagerExporter {
  private readonly pending = new Map<string, AlertRecord>();
  private readonly storages = new Map<string, StorageLabels>();
  private sub?: Subscription;
  private timers: NodeJS.Timeout[] = [];
  private flushing = false;
  private failures = 0;
  private skipUntil = 0;

  constructor(
    private readonly url: string,
    private readonly d: { nc: NatsConnection; namespace: string; sql: Sql; alerts: AlertStore; logger: Logger },
  ) {}

  start(): void {
    this.sub = this.d.nc.subscribe(alertSubject(this.d.namespace, '*'), {
      callback: (err, m) => {
        if (!err) this.offer(fromMessage(m.json<AlertMessage>()));
      },
    });
    this.timers.push(setInterval(() => void this.flush(), FLUSH_EVERY_MS), setInterval(() => void this.resendOpen(), RESEND_EVERY_MS));
    for (const t of this.timers) t.unref();
    void this.resendOpen();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.sub?.unsubscribe();
    await this.flush();
  }

  /** Keeps the newest state of each alert until it is posted; a full buffer drops the oldest. */
  private offer(a: AlertRecord): void {
    this.pending.delete(a.id);
    this.pending.set(a.id, a);
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
  }

  private async resendOpen(): Promise<void> {
    try {
      for (const a of await this.d.alerts.openAlerts(MAX_PENDING)) this.offer(a);
    } catch (err) {
      this.d.logger.warn({ err: (err as Error).message }, 'could not read open alerts for Alertmanager; trying again later');
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.size === 0 || Date.now() < this.skipUntil) return;
    this.flushing = true;
    try {
      while (this.pending.size > 0) {
        const batch = [...this.pending.values()].slice(0, BATCH);
        await this.post(batch);
        // Only what was posted leaves: a newer state offered meanwhile stays.
        for (const a of batch) if (this.pending.get(a.id) === a) this.pending.delete(a.id);
      }
      this.failures = 0;
    } catch (err) {
      this.failures++;
      this.skipUntil = Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.failures);
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.d.logger.warn({ alertmanager: redactUrl(this.url), failures: this.failures, err: (err as Error).message }, 'could not post alerts to Alertmanager; retrying');
      }
    } finally {
      this.flushing = false;
    }
  }

  private async post(batch: AlertRecord[]): Promise<void> {
    await this.loadStorages(batch);
    const body = batch.map((a) => this.toAlertmanager(a));
    const res = await fetch(new URL('api/v2/alerts', this.url.endsWith('/') ? this.url : `${this.url}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`Alertmanager answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }

  private async loadStorages(batch: AlertRecord[]): Promise<void> {
    const missing = [...new Set(batch.map((a) => a.storageId))].filter((id) => !this.storages.has(id));
    if (missing.length === 0) return;
    const rows = await this.d.sql.query<{ id: string; name: string; serial_number: string }>('select id, name, serial_number from storage where id = any($1::uuid[])', [missing]);
    for (const r of rows) this.storages.set(r.id, { name: r.name, serialNumber: r.serial_number });
  }

  private toAlertmanager(a: AlertRecord) {
    const s = this.storages.get(a.storageId);
    const labels: Record<string, string> = {
      alertname: a.alertName,
      severity: a.severity.toLowerCase(),
      storage_id: a.storageId,
      storage_name: s?.name ?? '',
      serial_number: s?.serialNumber ?? '',
      resource_type: a.resourceType ?? '',
      sequence_number: a.sequenceNumber,
    };
    const annotations: Record<string, string> = { description: a.description };
    if (a.recoveryAdvice) annotations.recovery_advice = a.recoveryAdvice;
    if (a.location) annotations.location = a.location;
    return {
      labels: Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== '')),
      annotations,
      startsAt: a.occurredAt.toISOString(),
      ...(a.clearedAt ? { endsAt: a.clearedAt.toISOString() } : {}),
    };
  }
}
