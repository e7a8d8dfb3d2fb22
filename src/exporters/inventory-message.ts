// The NATS inventory message: after each successful sync, the storage's figures and the sync's
// SyncStats as JSON on `<namespace>.inventory.<storageId>`, for consumers that keep their own
// history (docs/metrics.md, "Inventory messages"). Published after the sync's end committed, so a
// consumer reading the API on receipt finds the same figures.
import type { NatsConnection } from '@nats-io/transport-node';
import type { Queryable } from '../db/sql.js';
import type { SyncStats } from '../db/entities/index.js';
import { storageInventoryOf } from '../db/stores/inventory-figures-store.js';

export interface InventoryMessage {
  storageId: string;
  name: string;
  serialNumber: string;
  status: string;
  /** Bytes, as decimal strings (they can exceed 2^53). */
  totalCapacity: string;
  usedCapacity: string;
  freeCapacity: string;
  /** When the sync ended (ISO 8601). */
  syncedAt: string;
  taskId: string;
  /** Resources the storage has now, by type (STORAGE_POOL, VOLUME, DISK, CONTROLLER, PORT). */
  resources: Record<string, number>;
  /** What the sync added, updated and deleted. */
  stats: SyncStats | null;
}

export const inventorySubject = (namespace: string, storageId: string): string => `${namespace}.inventory.${storageId}`;

export class InventoryPublisher {
  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: string,
  ) {}

  /** Reads the storage's figures and publishes them; nothing when the storage is gone. */
  async publish(q: Queryable, storageId: string, taskId: string, stats: SyncStats | null): Promise<void> {
    const inventory = await storageInventoryOf(q, storageId);
    if (!inventory) return;
    const { figures: s, resources } = inventory;
    const message: InventoryMessage = {
      storageId,
      name: s.name,
      serialNumber: s.serialNumber,
      status: s.status,
      totalCapacity: s.totalCapacity,
      usedCapacity: s.usedCapacity,
      freeCapacity: s.freeCapacity,
      syncedAt: (s.lastSyncedAt ?? new Date()).toISOString(),
      taskId,
      resources,
      stats,
    };
    this.nc.publish(inventorySubject(this.namespace, storageId), JSON.stringify(message));
  }
}
