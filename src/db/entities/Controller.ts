import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { bytes } from './bigint-type.js';

/** A controller of a storage. Written in bulk by the sync (tasks/sync), read by the stores. */
@Entity({ tableName: 'controller' })
@Unique({ properties: ['storageId', 'nativeControllerId'] })
export class Controller {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  storageId!: string;

  @Property({ type: 'text' })
  nativeControllerId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  status!: string;

  @Property({ type: 'text', nullable: true })
  firmware?: string | null;

  @Property({ type: 'text', nullable: true })
  location?: string | null;

  @Property({ type: bytes(), nullable: true })
  memoryBytes?: bigint | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
