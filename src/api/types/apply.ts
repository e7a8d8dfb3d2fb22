// applyStorages: a fleet declared as a whole (what `delfin apply -f` sends). Each declaration
// names its storage; the answer is one step per declaration (and per storage pruned), each
// either done or failed on its own.
import { IsNotEmpty, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AlertSourceInput } from './alert.js';
import { AccessInfoInput } from './inputs.js';
import { MetricsConfigInput } from './metrics.js';
import { SyncScheduleInput } from './sync-schedule.js';

export const StorageApplyActionEnum = { CREATE: 'CREATE', UPDATE: 'UPDATE', UNCHANGED: 'UNCHANGED', DELETE: 'DELETE', ERROR: 'ERROR' } as const;
export type StorageApplyAction = keyof typeof StorageApplyActionEnum;
registerEnumType(StorageApplyActionEnum, { name: 'StorageApplyAction' });

@InputType({ description: 'One storage as declared: matched to a registered storage by its name.' })
export class StorageDeclarationInput extends AccessInfoInput {
  @Field({ description: 'The key: the storage registered under this name is this entry\'s (one is registered when none is).' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(255)
  name!: string;

  @Field()
  @IsNotEmpty({ message: 'vendor must not be empty' })
  @MaxLength(128)
  vendor!: string;

  @Field()
  @IsNotEmpty({ message: 'model must not be empty' })
  @MaxLength(128)
  model!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => SyncScheduleInput, { nullable: true, description: 'Absent: the storage\'s schedule is left as it is.' })
  @IsOptional()
  @ValidateNested()
  syncSchedule?: SyncScheduleInput | null;

  @Field(() => MetricsConfigInput, { nullable: true, description: 'Absent: left as it is; the pollings given are set, the others kept.' })
  @IsOptional()
  @ValidateNested()
  metricsConfig?: MetricsConfigInput | null;

  @Field(() => AlertSourceInput, { nullable: true, description: 'Absent: left as it is.' })
  @IsOptional()
  @ValidateNested()
  alertSource?: AlertSourceInput | null;
}

@ObjectType({ description: 'Why one step failed: nothing of that step was changed after the failing part.' })
export class StorageApplyError {
  @Field({ description: 'BAD_USER_INPUT, CONFLICT, DRIVER_ERROR, UNAVAILABLE, ...' })
  code!: string;

  @Field()
  message!: string;

  @Field(() => String, { nullable: true, description: 'The field of the declaration at fault (rest.port, syncSchedule.cron, ...).' })
  field?: string | null;
}

@ObjectType({ description: 'What applyStorages does (or, in a dry run, would do) for one declaration or one pruned storage.' })
export class StorageApplyStep {
  @Field()
  name!: string;

  @Field(() => Int, { nullable: true, description: 'The declaration\'s position in the input (0-based); null for a pruned storage.' })
  index?: number | null;

  @Field(() => StorageApplyActionEnum)
  action!: StorageApplyAction;

  @Field(() => ID, { nullable: true, description: 'Null for a storage still to be registered (or whose registration failed).' })
  storageId?: string | null;

  @Field(() => [String], { description: 'What differs: access, description, syncSchedule, metricsConfig, alertSource (register / delete for those actions).' })
  changes!: string[];

  @Field(() => StorageApplyError, { nullable: true })
  error?: StorageApplyError | null;
}

@ObjectType()
export class StorageApplyResult {
  @Field({ description: 'True: nothing was changed; the steps are the plan.' })
  dryRun!: boolean;

  @Field(() => [StorageApplyStep])
  steps!: StorageApplyStep[];
}
