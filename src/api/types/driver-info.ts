import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A driver this system can register storages with.' })
export class DriverInfo {
  @Field()
  vendor!: string;

  @Field()
  model!: string;
}
