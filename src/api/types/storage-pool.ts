import { Field, ObjectType } from 'type-graphql';
import { BigIntScalar } from '../scalars.js';
import { StorageStatusEnum, StorageTypeEnum } from './enums.js';
import { connectionTypes } from './connection.js';
import { CapacityNode, Node } from './node.js';
import type { StorageStatus } from '../../db/entities/enums.js';

@ObjectType({ implements: Node })
export class StoragePool extends CapacityNode {
  storageId!: string;

  @Field()
  nativeStoragePoolId!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => StorageTypeEnum, { nullable: true })
  storageType?: 'BLOCK' | 'FILE' | 'UNIFIED' | null;

  @Field(() => StorageStatusEnum)
  status!: StorageStatus;

  @Field(() => BigIntScalar, { nullable: true })
  subscribedCapacity?: bigint | null;
}

export const StoragePoolConnection = connectionTypes('StoragePool', StoragePool);
