import { Field, ObjectType } from 'type-graphql';
import type { AccessType, DriverResource } from '../../drivers/driver.js';
import { AccessTypeEnum, ResourceTypeEnum } from './enums.js';

@ObjectType({ description: 'A driver this system can register storages with.' })
export class DriverInfo {
  @Field()
  vendor!: string;

  @Field()
  model!: string;

  @Field(() => String, { nullable: true, description: 'What the driver talks to, in its own words.' })
  description?: string | null;

  @Field(() => [AccessTypeEnum], { description: 'The access info parts it uses (rest, ssh).' })
  accessTypes!: AccessType[];

  @Field(() => [ResourceTypeEnum], { description: 'The resources a sync reads through it.' })
  resources!: DriverResource[];

  @Field({ description: "It reads the array's SNMP traps (parseAlert); whether it lists and clears the device's alerts is per storage (Storage.capabilities)." })
  parsesTraps!: boolean;
}
