import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { bytes } from './bigint-type.js';

/** A volume (LUN) of a storage. Written in bulk by the sync (tasks/sync), read here. */
@Entity({ tableName: 'volume' })
@Unique({ properties: ['storageId', 'nativeVolumeId'] })
export class Volume {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  storageId!: string;

  @Property({ type: 'text' })
  nativeVolumeId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'text', nullable: true })
  type?: 'THICK' | 'THIN' | null;

  @Property({ type: 'text' })
  status!: 'AVAILABLE' | 'ERROR';

  @Property({ type: 'text', nullable: true })
  nativeStoragePoolId?: string | null;

  @Property({ type: 'text', nullable: true })
  wwn?: string | null;

  @Property({ type: bytes() })
  totalCapacity!: bigint;

  @Property({ type: bytes() })
  usedCapacity!: bigint;

  @Property({ type: bytes() })
  freeCapacity!: bigint;

  @Property({ type: 'boolean', nullable: true })
  compressed?: boolean | null;

  @Property({ type: 'boolean', nullable: true })
  deduplicated?: boolean | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
