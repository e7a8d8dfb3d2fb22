import { Entity, Enum, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../lib/ids.js';
import { bytes } from './bigint-type.js';
import { STORAGE_STATUSES, SYNC_STATES, type StorageStatus, type SyncState } from './enums.js';

/** A registered storage array, as last seen by a sync. */
@Entity({ tableName: 'storage' })
export class Storage {
  [OptionalProps]?: 'id' | 'syncState' | 'createdAt' | 'updatedAt' | 'deleting';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'text' })
  vendor!: string;

  @Property({ type: 'text' })
  model!: string;

  @Unique()
  @Property({ type: 'text' })
  serialNumber!: string;

  @Property({ type: 'text', nullable: true })
  firmwareVersion?: string | null;

  @Property({ type: 'text', nullable: true })
  location?: string | null;

  @Enum({ items: () => [...STORAGE_STATUSES], type: 'text' })
  status!: StorageStatus;

  @Enum({ items: () => [...SYNC_STATES], type: 'text' })
  syncState: SyncState = 'NEVER_SYNCED';

  @Property({ type: bytes() })
  totalCapacity!: bigint;

  @Property({ type: bytes() })
  usedCapacity!: bigint;

  @Property({ type: bytes() })
  freeCapacity!: bigint;

  @Property({ type: bytes(), nullable: true })
  rawCapacity?: bigint | null;

  @Property({ type: bytes(), nullable: true })
  subscribedCapacity?: bigint | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastSyncedAt?: Date | null;

  /** Set by deleteStorage: the storage is on its way out and no new work starts for it. */
  @Property({ type: 'boolean' })
  deleting: boolean = false;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
