// Inputs as classes with validation (class-validator): a bad value is refused with
// BAD_USER_INPUT naming the field, before any service runs.
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../scalars.js';
import { OrderDirectionEnum, StorageStatusEnum, SyncStateEnum, TaskPriorityEnum, VolumeOrderFieldEnum, VolumeStatusEnum } from './enums.js';
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

  @Field(() => String, { nullable: true, description: 'Exact.' })
  @IsOptional()
  @MaxLength(255)
  serialNumber?: string | null;
}

/**
 * A world-wide name as devices write them: hex digits, in groups separated by ':' or '-' if at
 * all, after an optional format prefix ("naa.", "eui.", "0x").
 */
const WWN = /^(?:[a-z]{2,5}\.|0x)?[0-9a-f]+(?:[:-][0-9a-f]+)*$/i;

@InputType({ description: 'Every field given must match.' })
export class VolumeFilter {
  @Field(() => String, { nullable: true, description: 'Part of the name, in any case.' })
  @IsOptional()
  @IsNotEmpty({ message: 'filter.nameContains must not be empty when given' })
  @MaxLength(255)
  nameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'The whole WWN, in any case.' })
  @IsOptional()
  @MaxLength(128)
  @Matches(WWN, { message: 'filter.wwn must be a world-wide name: hex digits, in groups separated by ":" or "-" if at all, after an optional prefix such as "naa."' })
  wwn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  nativeVolumeId?: string | null;

  @Field(() => String, { nullable: true, description: 'The pool\'s native id (a storage\'s own: give storageId too).' })
  @IsOptional()
  @MaxLength(255)
  nativeStoragePoolId?: string | null;

  @Field(() => [VolumeStatusEnum], { nullable: true, description: 'Any of these.' })
  @IsOptional()
  @ArrayMaxSize(10, { message: 'filter.status lists at most 10 statuses' })
  status?: Array<'AVAILABLE' | 'ERROR'> | null;
}

@InputType()
export class VolumeOrder {
  @Field(() => VolumeOrderFieldEnum)
  field!: keyof typeof VolumeOrderFieldEnum;

  @Field(() => OrderDirectionEnum, { nullable: true, defaultValue: 'ASC' })
  @IsOptional()
  direction?: keyof typeof OrderDirectionEnum | null;
}
