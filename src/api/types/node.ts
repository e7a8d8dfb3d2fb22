import { Field, ID, InterfaceType, ObjectType } from 'type-graphql';

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
