import { Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import { BigIntScalar, DateTimeScalar } from '../scalars.js';

@InterfaceType({ description: 'An object with a globally unique id.' })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor?: string | null;
}

/** What storages, pools and volumes share: capacities in bytes and row timestamps. */
@ObjectType()
export abstract class CapacityNode extends Node {
  @Field(() => BigIntScalar)
  totalCapacity!: bigint;

  @Field(() => BigIntScalar)
  usedCapacity!: bigint;

  @Field(() => BigIntScalar)
  freeCapacity!: bigint;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}
