import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { bytes } from './bigint-type.js';
import { STORAGE_STATUSES, type StorageStatus } from './enums.js';

/** A pool of a storage. Written in bulk by the sync (tasks/sync), read here. */
@Entity({ tableName: 'storage_pool' })
@Unique({ properties: ['storageId', 'nativeStoragePoolId'] })
export class StoragePool {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  storageId!: string;

  @Property({ type: 'text' })
  nativeStoragePoolId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'text', nullable: true })
  storageType?: 'BLOCK' | 'FILE' | 'UNIFIED' | null;

  @Enum({ items: () => [...STORAGE_STATUSES], type: 'text' })
  status!: StorageStatus;

  @Property({ type: bytes() })
  totalCapacity!: bigint;

  @Property({ type: bytes() })
  usedCapacity!: bigint;

  @Property({ type: bytes() })
  freeCapacity!: bigint;

  @Property({ type: bytes(), nullable: true })
  subscribedCapacity?: bigint | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
