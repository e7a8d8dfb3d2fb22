import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { bytes } from './bigint-type.js';

/** A physical disk of a storage. Written in bulk by the sync (tasks/sync), read by the stores. */
@Entity({ tableName: 'disk' })
@Unique({ properties: ['storageId', 'nativeDiskId'] })
export class Disk {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  storageId!: string;

  @Property({ type: 'text' })
  nativeDiskId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  status!: string;

  @Property({ type: 'text' })
  mediaType!: string;

  @Property({ type: bytes() })
  capacity!: bigint;

  @Property({ type: 'text', nullable: true })
  manufacturer?: string | null;

  @Property({ type: 'text', nullable: true })
  model?: string | null;

  @Property({ type: 'text', nullable: true })
  serialNumber?: string | null;

  @Property({ type: 'text', nullable: true })
  firmware?: string | null;

  @Property({ type: 'double', nullable: true })
  speedGbps?: number | null;

  @Property({ type: 'text', nullable: true })
  location?: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
