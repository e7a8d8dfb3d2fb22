// Inputs as classes with validation (class-validator): a bad value is refused with
// BAD_USER_INPUT naming the field, before any service runs.
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../scalars.js';
import { StorageStatusEnum, SyncStateEnum, TaskPriorityEnum } from './enums.js';
import type { StorageStatus, SyncState, TaskPriority } from '../../db/entities/enums.js';
import { isHost } from '../../lib/host.js';

/** A host name or an IPv4/IPv6 address (src/lib/host.ts). */
const IsHost = () =>
  ValidateBy({
    name: 'isHost',
    validator: { validate: (v: unknown) => typeof v === 'string' && isHost(v), defaultMessage: () => 'host must be a host name or an IP address' },
  });

/** What REST and SSH endpoints share; errors name the full field (rest.port, ssh.host...). */
@InputType()
abstract class EndpointInput {
  @Field()
  @IsNotEmpty({ message: 'host must not be empty' })
  @MaxLength(255)
  @IsHost()
  host!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1, { message: 'port must be between 1 and 65535' })
  @Max(65535, { message: 'port must be between 1 and 65535' })
  port!: number;

  @Field()
  @IsNotEmpty({ message: 'username must not be empty' })
  @MaxLength(255)
  username!: string;
}

@InputType()
export class RestAccessInput extends EndpointInput {
  @Field()
  @IsNotEmpty({ message: 'password must not be empty' })
  @MaxLength(1024)
  password!: string;

  @Field(() => String, { nullable: true, description: 'PEM: a private CA, or the array\'s own certificate, to trust.' })
  @IsOptional()
  @MaxLength(65536)
  caCertificate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Pins the array\'s certificate by its SHA-256 fingerprint ("AB:CD:...", plain hex or "sha256:...", any case) instead of a CA.',
  })
  @IsOptional()
  @MaxLength(200)
  certificateFingerprint?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'false accepts any certificate (labs only; logged as a warning).' })
  @IsOptional()
  verifyTls?: boolean | null;
}

@InputType()
export class SshAccessInput extends EndpointInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1024)
  password?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(16384)
  pubKey?: string | null;
}

/** How to reach an array; registration adds what identifies it. */
@InputType()
export class AccessInfoInput {
  @Field(() => RestAccessInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  rest?: RestAccessInput | null;

  @Field(() => SshAccessInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  ssh?: SshAccessInput | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Driver-specific settings (the simulator: pools, volumes, seed, ...).' })
  @IsOptional()
  extraAttributes?: Record<string, unknown> | null;
}

@InputType()
export class RegisterStorageInput extends AccessInfoInput {
  @Field()
  @IsNotEmpty({ message: 'vendor must not be empty' })
  @MaxLength(128)
  vendor!: string;

  @Field()
  @IsNotEmpty({ message: 'model must not be empty' })
  @MaxLength(128)
  model!: string;

  @Field(() => String, { nullable: true, description: 'Defaults to the name the device reports.' })
  @IsOptional()
  @IsNotEmpty({ message: 'name must not be empty when given' })
  @MaxLength(255)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;
}

@InputType()
export class SyncOptions {
  @Field(() => TaskPriorityEnum, { nullable: true, defaultValue: 'NORMAL' })
  @IsOptional()
  @IsIn(['LOW', 'NORMAL', 'HIGH'])
  priority?: TaskPriority;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Absent: now.' })
  @IsOptional()
  runAt?: Date | null;
}

@InputType()
export class StorageFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(128)
  vendor?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(128)
  model?: string | null;

  @Field(() => StorageStatusEnum, { nullable: true })
  @IsOptional()
  status?: StorageStatus | null;

  @Field(() => SyncStateEnum, { nullable: true })
  @IsOptional()
  syncState?: SyncState | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  nameContains?: string | null;
}
