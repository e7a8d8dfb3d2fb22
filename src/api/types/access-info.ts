import { Field, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../scalars.js';

@ObjectType({ description: 'A REST endpoint of a storage. The password is never returned.' })
export class RestAccess {
  @Field()
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field()
  username!: string;
}

@ObjectType({ description: 'An SSH endpoint of a storage. The password and key are never returned.' })
export class SshAccess {
  @Field()
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field()
  username!: string;
}

@ObjectType()
export class AccessInfo {
  @Field(() => RestAccess, { nullable: true })
  rest?: RestAccess | null;

  @Field(() => SshAccess, { nullable: true })
  ssh?: SshAccess | null;

  @Field(() => JSONScalar, { nullable: true })
  extraAttributes?: Record<string, unknown> | null;
}
