import { IsOptional, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { ResourceType } from '../../drivers/driver.js';
import { DateTimeScalar } from '../scalars.js';
import { ResourceTypeEnum } from './enums.js';

@ObjectType({ description: 'How one resource type of a storage is polled for performance.' })
export class PollingConfig {
  @Field({ description: 'Whether performance is collected.' })
  perfCollection!: boolean;

  @Field(() => Int, { description: 'Seconds between polls.' })
  interval!: number;

  @Field({ description: 'After downtime, back-fill the missed windows (up to the policy horizon) instead of only the latest.' })
  isHistoric!: boolean;
}

@ObjectType({ description: "A storage's metrics-config: polling of the array, its pools, volumes, disks, controllers and ports." })
export class MetricsConfig {
  @Field(() => ID)
  storageId!: string;

  @Field(() => PollingConfig)
  arrayPolling!: PollingConfig;

  @Field(() => PollingConfig)
  poolPolling!: PollingConfig;

  @Field(() => PollingConfig)
  volumePolling!: PollingConfig;

  @Field(() => PollingConfig)
  diskPolling!: PollingConfig;

  @Field(() => PollingConfig)
  controllerPolling!: PollingConfig;

  @Field(() => PollingConfig)
  portPolling!: PollingConfig;
}

@InputType()
export class PollingConfigInput {
  @Field()
  perfCollection!: boolean;

  @Field(() => Int, { description: 'Seconds between polls, within the policy bounds (300 to 86 400 by default).' })
  interval!: number;

  @Field()
  isHistoric!: boolean;
}

@InputType({ description: 'The polling configs to change; those left out stay as they are.' })
export class MetricsConfigInput {
  @Field(() => PollingConfigInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  arrayPolling?: PollingConfigInput | null;

  @Field(() => PollingConfigInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  poolPolling?: PollingConfigInput | null;

  @Field(() => PollingConfigInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  volumePolling?: PollingConfigInput | null;

  @Field(() => PollingConfigInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  diskPolling?: PollingConfigInput | null;

  @Field(() => PollingConfigInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  controllerPolling?: PollingConfigInput | null;

  @Field(() => PollingConfigInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  portPolling?: PollingConfigInput | null;
}

@ObjectType({ description: 'One value of one metric of one resource at one time, in the unit the driver gives.' })
export class MetricSample {
  @Field(() => ResourceTypeEnum)
  resourceType!: ResourceType;

  @Field({ description: "The resource's native id on the array (the serial number for STORAGE)." })
  resourceId!: string;

  @Field()
  metric!: string;

  @Field({ description: 'IOPS, MB/s, ms, KB or %.' })
  unit!: string;

  @Field(() => DateTimeScalar)
  timestamp!: Date;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: 'Samples of one storage and resource type, as a worker exported them.' })
export class MetricBatch {
  @Field(() => ID)
  storageId!: string;

  @Field(() => ResourceTypeEnum)
  resourceType!: ResourceType;

  @Field(() => [MetricSample])
  samples!: MetricSample[];
}

@ObjectType({ description: 'A window of samples that could not be collected.' })
export class LostWindow {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
  @Field() reason!: string;
}

@ObjectType({ description: 'A window that failed in this poll and waits in the retry list for a later one.' })
export class RetriedWindow {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
  @Field(() => Int, { description: 'Polls that tried it so far.' }) tries!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: "When a later poll tries it again; null for a counter-based driver, whose next reading covers this time." })
  nextTryAt?: Date | null;
  @Field({ description: 'The last failure.' }) reason!: string;
}

@ObjectType({ description: 'A window that failed in an earlier poll and was collected in this one.' })
export class RecoveredWindow {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar) end!: Date;
  @Field(() => Int, { description: 'Polls that tried it, this one included.' }) tries!: number;
}

@ObjectType({ description: 'Cumulative counters of a resource that went down between two readings: that window has no sample.' })
export class CounterReset {
  @Field({ description: "The resource's native id." }) resourceId!: string;
  @Field(() => DateTimeScalar, { description: 'The earlier reading.' }) start!: Date;
  @Field(() => DateTimeScalar, { description: 'The reading whose counters went down.' }) end!: Date;
  @Field(() => [String], { description: "The driver's names of the counters that went down." }) counters!: string[];
}

@ObjectType({ description: 'What a COLLECT_PERFORMANCE task collected.' })
export class CollectionRecord {
  @Field(() => ResourceTypeEnum) resourceType!: ResourceType;
  @Field(() => Int) windowsPlanned!: number;
  @Field(() => Int) windowsCollected!: number;
  @Field(() => Int, { description: 'Samples (points) handed to the exporters.' }) samples!: number;
  @Field(() => Int, { description: 'Driver calls tried again after a failure.' }) retries!: number;
  @Field(() => DateTimeScalar, { nullable: true }) collectedFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) collectedUntil?: Date | null;
  @Field(() => [LostWindow], { description: 'Windows that failed every try, up to the retry horizon.' }) lostWindows!: LostWindow[];
  @Field(() => [RetriedWindow], { nullable: true, description: 'Windows that failed in this poll and wait for a later one (null in records older than the retry list).' })
  retriedWindows?: RetriedWindow[] | null;
  @Field(() => [RecoveredWindow], { nullable: true, description: 'Windows that failed earlier and were collected in this poll (null in older records).' })
  recoveredWindows?: RecoveredWindow[] | null;
  @Field(() => [CounterReset], { nullable: true, description: 'Counter resets seen in this poll (counter-based drivers; null in older records).' })
  counterResets?: CounterReset[] | null;
  @Field(() => LostWindow, { nullable: true, description: 'Time not collected on purpose: beyond the back-fill horizon, or downtime of a poll without isHistoric.' })
  skipped?: LostWindow | null;
}
