import { Field, ObjectType } from 'type-graphql';
import type { DriverResource, ResourceType } from '../../drivers/driver.js';
import { ResourceTypeEnum } from './enums.js';

@ObjectType({ description: 'The performance metrics a driver collects for one resource type.' })
export class ResourceMetrics {
  @Field(() => ResourceTypeEnum)
  resourceType!: ResourceType;

  @Field(() => [String])
  metrics!: string[];
}

@ObjectType({ description: "What a storage's driver can do, asked of the driver for this array." })
export class StorageCapabilities {
  @Field(() => [ResourceTypeEnum], { description: 'The resources a sync reads.' })
  resources!: DriverResource[];

  @Field(() => [ResourceMetrics])
  metrics!: ResourceMetrics[];

  @Field({ description: 'The driver parses or lists alerts.' })
  alerts!: boolean;

  @Field({ description: "The driver reads the device's own alerts on each sync (alerts raised while no trap receiver listened are not missed)." })
  listAlerts!: boolean;

  @Field({ description: 'The driver can clear an alert on this device: clearAlert clears it there too.' })
  clearAlert!: boolean;
}
