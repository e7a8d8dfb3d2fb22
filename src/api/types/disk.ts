import { Field, Float, ObjectType } from 'type-graphql';
import { BigIntScalar } from '../scalars.js';
import { DiskMediaTypeEnum, HealthStatusEnum } from './enums.js';
import { connectionTypes } from './connection.js';
import { Node } from './node.js';

@ObjectType({ implements: Node, description: 'A physical disk of a storage.' })
export class Disk extends Node {
  storageId!: string;

  @Field()
  nativeDiskId!: string;

  @Field()
  name!: string;

  @Field(() => HealthStatusEnum)
  status!: string;

  @Field(() => DiskMediaTypeEnum)
  mediaType!: string;

  @Field(() => BigIntScalar, { description: 'Bytes.' })
  capacity!: bigint;

  @Field(() => String, { nullable: true })
  manufacturer?: string | null;

  @Field(() => String, { nullable: true })
  model?: string | null;

  @Field(() => String, { nullable: true })
  serialNumber?: string | null;

  @Field(() => String, { nullable: true })
  firmware?: string | null;

  @Field(() => Float, { nullable: true })
  speedGbps?: number | null;

  @Field(() => String, { nullable: true })
  location?: string | null;
}

export const DiskConnection = connectionTypes('Disk', Disk);
