import { Field, ObjectType } from 'type-graphql';
import { BigIntScalar, DateTimeScalar } from '../scalars.js';
import { ProvisioningTypeEnum, VolumeStatusEnum } from './enums.js';
import { connectionTypes } from './connection.js';
import { Node } from './node.js';

@ObjectType({ implements: Node })
export class Volume extends Node {
  storageId!: string;

  @Field()
  nativeVolumeId!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ProvisioningTypeEnum, { nullable: true })
  type?: 'THICK' | 'THIN' | null;

  @Field(() => VolumeStatusEnum)
  status!: 'AVAILABLE' | 'ERROR';

  @Field(() => String, { nullable: true })
  nativeStoragePoolId?: string | null;

  @Field(() => String, { nullable: true })
  wwn?: string | null;

  @Field(() => BigIntScalar)
  totalCapacity!: bigint;

  @Field(() => BigIntScalar)
  usedCapacity!: bigint;

  @Field(() => BigIntScalar)
  freeCapacity!: bigint;

  @Field(() => Boolean, { nullable: true })
  compressed?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  deduplicated?: boolean | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

export const VolumeConnection = connectionTypes('Volume', Volume);
