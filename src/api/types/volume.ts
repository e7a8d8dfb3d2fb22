import { Field, ObjectType } from 'type-graphql';
import { ProvisioningTypeEnum, VolumeStatusEnum } from './enums.js';
import { connectionTypes } from './connection.js';
import { CapacityNode, Node } from './node.js';

// Its plain fields read the row as it is (no middleware: nothing to check, nothing that throws);
// a page of a thousand volumes is thousands of them.
@ObjectType({ implements: Node, simpleResolvers: true })
export class Volume extends CapacityNode {
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

  @Field(() => Boolean, { nullable: true })
  compressed?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  deduplicated?: boolean | null;
}

export const VolumeConnection = connectionTypes('Volume', Volume);
