import { Field, ObjectType } from 'type-graphql';
import { BigIntScalar } from '../scalars.js';
import { HealthStatusEnum } from './enums.js';
import { connectionTypes } from './connection.js';
import { Node } from './node.js';

@ObjectType({ implements: Node, description: 'A controller of a storage.' })
export class Controller extends Node {
  storageId!: string;

  @Field()
  nativeControllerId!: string;

  @Field()
  name!: string;

  @Field(() => HealthStatusEnum)
  status!: string;

  @Field(() => String, { nullable: true })
  firmware?: string | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => BigIntScalar, { nullable: true, description: 'Cache or memory of the controller, bytes.' })
  memoryBytes?: bigint | null;
}

export const ControllerConnection = connectionTypes('Controller', Controller);
