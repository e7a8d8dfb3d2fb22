import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A port of a storage. Written in bulk by the sync (tasks/sync), read by the stores. */
@Entity({ tableName: 'port' })
@Unique({ properties: ['storageId', 'nativePortId'] })
export class Port {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  storageId!: string;

  @Property({ type: 'text' })
  nativePortId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  connectionStatus!: string;

  @Property({ type: 'text' })
  healthStatus!: string;

  @Property({ type: 'double', nullable: true })
  speedGbps?: number | null;

  @Property({ type: 'text', nullable: true })
  wwn?: string | null;

  @Property({ type: 'text', nullable: true })
  macAddress?: string | null;

  @Property({ type: 'text', nullable: true })
  ipAddress?: string | null;

  @Property({ type: 'text', nullable: true })
  location?: string | null;

  /** The controller it belongs to, by native id (no foreign key: the device's word). */
  @Property({ type: 'text', nullable: true })
  nativeControllerId?: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
