import { IsInt, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars.js';

@ObjectType({ description: "A storage's periodic sync: every intervalSeconds, or on a cron expression (one of the two is set)." })
export class SyncSchedule {
  @Field(() => ID)
  storageId!: string;

  @Field({ description: 'False: kept, but not running.' })
  enabled!: boolean;

  @Field(() => Int, { nullable: true })
  intervalSeconds?: number | null;

  @Field(() => String, { nullable: true, description: 'Five fields (minute hour day-of-month month day-of-week), or six with seconds first; UTC.' })
  cron?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Null while disabled.' })
  nextRunAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastRunAt?: Date | null;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@InputType({ description: 'Exactly one of intervalSeconds and cron (to disable, enabled: false alone keeps the current one).' })
export class SyncScheduleInput {
  @Field()
  enabled!: boolean;

  @Field(() => Int, { nullable: true, description: 'At least the minimum interval of the policy (schedules.minIntervalSeconds, 60 by default).' })
  @IsOptional()
  @IsInt()
  intervalSeconds?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  cron?: string | null;
}
