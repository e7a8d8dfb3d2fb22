import { Field, Float, ObjectType } from 'type-graphql';
import { ConnectionStatusEnum, HealthStatusEnum, PortTypeEnum } from './enums.js';
import { connectionTypes } from './connection.js';
import { Node } from './node.js';

@ObjectType({ implements: Node, description: 'A front-end or back-end port of a storage.' })
export class Port extends Node {
  storageId!: string;

  @Field()
  nativePortId!: string;

  @Field()
  name!: string;

  @Field(() => PortTypeEnum)
  type!: string;

  @Field(() => ConnectionStatusEnum)
  connectionStatus!: string;

  @Field(() => HealthStatusEnum)
  healthStatus!: string;

  @Field(() => Float, { nullable: true })
  speedGbps?: number | null;

  @Field(() => String, { nullable: true })
  wwn?: string | null;

  @Field(() => String, { nullable: true })
  macAddress?: string | null;

  @Field(() => String, { nullable: true })
  ipAddress?: string | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => String, { nullable: true, description: 'The controller the port belongs to, when the device says.' })
  nativeControllerId?: string | null;
}

export const PortConnection = connectionTypes('Port', Port);
