// Alert sources and alerts for the API: validation, the stores, and the NATS side (receivers
// told to reload their sources; alertEvents fed from `<namespace>.alerts.*`).
import type { NatsConnection } from '@nats-io/transport-node';
import { AlertPublisher } from '../../alerts/alert-publisher.js';
import { AlertSourceStore, StorageGoneError } from '../../alerts/alert-source-store.js';
import { publicView, validateAlertSource, type AlertSource, type AlertSourceInput, type PublicAlertSource } from '../../alerts/alert-source.js';
import { AlertStore, type AlertFilter } from '../../alerts/alert-store.js';
import { alertSubject, fromMessage, sourcesChangedSubject, stateOf, type AlertMessage, type AlertRecord } from '../../alerts/alert.js';
import type { SecretBox } from '../../db/secrets.js';
import type { Sql } from '../../db/sql.js';
import { notFound } from '../../errors.js';
import { isId } from '../../lib/ids.js';
import type { Connection } from '../types/connection.js';
import { pageRequest, toConnection } from './paging.js';
import type { DeviceOpener } from '../../tasks/runtime/open-device.js';
import { driverFailure } from './driver-failure.js';

/** An alert as the GraphQL type holds it. */
export type AlertView = AlertRecord & { state: 'OPEN' | 'CLEARED' };

const view = (a: AlertRecord): AlertView => ({ ...a, state: stateOf(a) });

export class AlertService {
  private readonly sources: AlertSourceStore;
  private readonly alerts: AlertStore;
  private readonly publisher: AlertPublisher;

  constructor(
    sql: Sql,
    box: SecretBox,
    private readonly nc: NatsConnection,
    private readonly namespace: string,
    /** Opens a storage's driver, to clear an alert on the device too. */
    private readonly devices?: DeviceOpener,
  ) {
    this.sources = new AlertSourceStore(sql, box);
    this.alerts = new AlertStore(sql);
    this.publisher = new AlertPublisher(nc, namespace);
  }

  /** `storageExists` is checked by the caller (the storage service owns storages). */
  async setSource(storageId: string, input: AlertSourceInput): Promise<PublicAlertSource> {
    const source = validateAlertSource(storageId, input);
    try {
      await this.sources.set(source);
    } catch (err) {
      if (err instanceof StorageGoneError) throw notFound('storage', storageId);
      throw err;
    }
    this.sourcesChanged();
    return publicView(source);
  }

  /** A storage's source with its secrets, held in memory only: what applyStorages compares a declared one with. */
  openedSource(storageId: string): Promise<AlertSource | undefined> {
    return this.sources.openedOf(storageId);
  }

  async removeSource(storageId: string): Promise<boolean> {
    const removed = await this.sources.remove(storageId);
    if (removed) this.sourcesChanged();
    return removed;
  }

  async sourcesOf(storageIds: readonly string[]): Promise<(PublicAlertSource | null)[]> {
    const byId = await this.sources.publicViews(storageIds);
    return storageIds.map((id) => byId.get(id) ?? null);
  }

  /** Every storage's source, by storage id. */
  allSources(): Promise<Map<string, PublicAlertSource>> {
    return this.sources.allPublicViews();
  }

  async list(filter: AlertFilter, first?: number | null, after?: string | null): Promise<Connection<AlertView>> {
    const { limit, afterId } = pageRequest(first, after);
    if (filter.storageId && !isId(filter.storageId)) return toConnection([], limit, 0);
    const { rows, count } = await this.alerts.page(filter, limit, afterId);
    return toConnection(rows.map(view), limit, count);
  }

  /**
   * Clears an alert: first on the device where its driver can (capabilities.clearAlert), then
   * here. A device that fails answers DRIVER_ERROR and the alert stays open (try again).
   */
  async clear(id: string): Promise<AlertView> {
    const alert = isId(id) ? await this.alerts.get(id) : undefined;
    if (!alert) throw notFound('alert', id);
    if (!alert.clearedAt) await this.clearOnDevice(alert);
    const result = await this.alerts.clearById(id);
    if (!result) throw notFound('alert', id);
    if (result.cleared) this.publisher.publish(result.alert);
    return view(result.alert);
  }

  /** Clears the open alert of a storage with that sequence number (Delfin's clear); undefined when none is open. */
  async clearBySequence(storageId: string, sequenceNumber: string): Promise<AlertView | undefined> {
    if (!isId(storageId)) return undefined;
    const cleared = await this.alerts.clearBySequence(storageId, sequenceNumber, new Date());
    if (cleared) this.publisher.publish(cleared);
    return cleared && view(cleared);
  }

  /** New and cleared alerts of one storage or of all, as they are published. */
  subscribe(storageId?: string | null): AsyncIterable<AlertView> {
    const sub = this.nc.subscribe(alertSubject(this.namespace, storageId ?? '*'));
    const it = sub[Symbol.asyncIterator]();
    return {
      [Symbol.asyncIterator]: () => ({
        async next() {
          const r = await it.next();
          return r.done ? { value: undefined, done: true } : { value: view(fromMessage(r.value.json<AlertMessage>())), done: false };
        },
        async return() {
          sub.unsubscribe();
          return { value: undefined, done: true };
        },
      }),
    };
  }

  private async clearOnDevice(alert: AlertRecord): Promise<void> {
    if (!this.devices) return;
    let driver;
    try {
      driver = await this.devices.open(alert.storageId);
      if (!driver.clearAlert || (await driver.capabilities()).clearAlert === false) return;
      await driver.clearAlert(alert.sequenceNumber);
    } catch (err) {
      throw driverFailure(err);
    } finally {
      await driver?.close().catch(() => undefined);
    }
  }

  private sourcesChanged(): void {
    this.nc.publish(sourcesChangedSubject(this.namespace), '');
  }
}
