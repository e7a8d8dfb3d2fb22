// What /metrics adds to the performance series at each scrape: the inventory, the system's
// counters and open tasks and alerts, read from PostgreSQL (so every api replica answers the
// same), and this replica's view of its dependencies. Scrapes within CACHE_MS share one read, so
// several Prometheus servers (or a burst of scrapes) cost the database one.
import type { NatsConnection } from '@nats-io/transport-node';
import type { Sql } from '../db/sql.js';
import { isConnected } from '../bus/connection-state.js';
import { AlertStore } from '../alerts/alert-store.js';
import { renderFamilies, type Family } from './exposition.js';
import { InventoryFamilies, type InventoryOptions } from './inventory-families.js';
import { counterFamilies, openTaskFamily } from './system-families.js';

const CACHE_MS = 1000;

export class DatabaseFigures {
  private cached?: { at: number; text: Promise<string> };
  private readonly alerts: AlertStore;
  private readonly inventoryFamilies: InventoryFamilies;

  constructor(
    private readonly sql: Sql,
    private readonly nc: NatsConnection,
    inventory: InventoryOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.alerts = new AlertStore(sql);
    this.inventoryFamilies = new InventoryFamilies(inventory);
  }

  /** The exposition text; when PostgreSQL cannot be read, only delfin_up says so. */
  render(): Promise<string> {
    const now = this.now();
    if (!this.cached || now - this.cached.at >= CACHE_MS) this.cached = { at: now, text: this.read() };
    return this.cached.text;
  }

  private async read(): Promise<string> {
    const figures = await this.families().catch(() => undefined);
    return renderFamilies([...(figures ?? []), this.up(figures !== undefined)]);
  }

  private async families(): Promise<Family[]> {
    const q = this.sql.q;
    const [inventory, counters, openTasks, openAlerts] = await Promise.all([
      this.inventoryFamilies.read(q),
      counterFamilies(q),
      openTaskFamily(q),
      this.alerts.openCounts(),
    ]);
    const alerts: Family = {
      name: 'delfin_open_alerts',
      help: 'Alerts raised and not cleared, by storage and severity',
      type: 'gauge',
      samples: openAlerts.map((a) => ({ labels: { storage_id: a.storageId, storage_name: a.storageName, severity: a.severity }, value: a.count })),
    };
    return [...inventory, ...counters, openTasks, alerts];
  }

  /** This replica's dependencies: 1 when it could read PostgreSQL for this scrape and NATS is connected. */
  private up(database: boolean): Family {
    return {
      name: 'delfin_up',
      help: 'Whether this api replica reaches a dependency (postgresql, nats): 1 yes, 0 no',
      type: 'gauge',
      samples: [
        { labels: { dependency: 'postgresql' }, value: database ? 1 : 0 },
        { labels: { dependency: 'nats' }, value: isConnected(this.nc) ? 1 : 0 },
      ],
    };
  }
}
