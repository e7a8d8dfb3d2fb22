import { Field, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../scalars.js';

/** What REST and SSH endpoints show; never their secrets. */
@ObjectType()
abstract class Endpoint {
  @Field()
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field()
  username!: string;
}

@ObjectType({ description: 'A REST endpoint of a storage. The password is never returned.' })
export class RestAccess extends Endpoint {
  @Field(() => Boolean, { description: 'Whether the array\'s TLS certificate is checked (false: labs only).' })
  verifyTls!: boolean;

  @Field(() => String, { nullable: true, description: 'The PEM trusted for this array, when one was given.' })
  caCertificate?: string | null;

  @Field(() => String, { nullable: true, description: 'The pinned SHA-256 fingerprint of the array\'s certificate ("AB:CD:..."), when one was given.' })
  certificateFingerprint?: string | null;
}

@ObjectType({ description: 'An SSH endpoint of a storage. The password and key are never returned.' })
export class SshAccess extends Endpoint {}

@ObjectType()
export class AccessInfo {
  @Field(() => RestAccess, { nullable: true })
  rest?: RestAccess | null;

  @Field(() => SshAccess, { nullable: true })
  ssh?: SshAccess | null;

  @Field(() => JSONScalar, { nullable: true })
  extraAttributes?: Record<string, unknown> | null;
}
