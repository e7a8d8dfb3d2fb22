import { Field, ObjectType } from 'type-graphql';
import { BigIntScalar, DateTimeScalar } from '../scalars.js';
import { StorageStatusEnum, SyncStateEnum } from './enums.js';
import { connectionTypes } from './connection.js';
import { CapacityNode, Node } from './node.js';
import type { StorageStatus, SyncState } from '../../db/entities/enums.js';

@ObjectType({ implements: Node, description: 'A registered storage array, as last seen by a sync.' })
export class Storage extends CapacityNode {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field()
  vendor!: string;

  @Field()
  model!: string;

  @Field()
  serialNumber!: string;

  @Field(() => String, { nullable: true })
  firmwareVersion?: string | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => StorageStatusEnum)
  status!: StorageStatus;

  @Field(() => SyncStateEnum, { description: 'SYNCING while a sync is queued or running.' })
  syncState!: SyncState;

  @Field(() => BigIntScalar, { nullable: true })
  rawCapacity?: bigint | null;

  @Field(() => BigIntScalar, { nullable: true })
  subscribedCapacity?: bigint | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastSyncedAt?: Date | null;
}

export const StorageConnection = connectionTypes('Storage', Storage);
