import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars.js';
import { TaskEventTypeEnum, TaskKindEnum, TaskPriorityEnum, TaskStatusEnum } from './enums.js';
import { connectionTypes } from './connection.js';
import { Node } from './node.js';
import { CollectionRecord } from './metrics.js';
import { ResourceTypeEnum } from './enums.js';
import type { TaskKind, TaskPriority, TaskStatus } from '../../db/entities/enums.js';
import type { TaskEventType } from '../../bus/task-events.js';

// Task, its stats and its events: plain fields read the row as it is (no middleware: nothing to
// check, nothing that throws); syncAllStorages answers 10 000 tasks, an event goes to every subscriber.
@ObjectType({ description: 'What a sync changed: resources added, updated and deleted.', simpleResolvers: true })
export class SyncStats {
  @Field(() => Int) poolsAdded!: number;
  @Field(() => Int) poolsUpdated!: number;
  @Field(() => Int) poolsDeleted!: number;
  @Field(() => Int) volumesAdded!: number;
  @Field(() => Int) volumesUpdated!: number;
  @Field(() => Int) volumesDeleted!: number;
  // Disks, controllers and ports: their fields are in sync-stats-resolver.ts (0 for older tasks).
  disksAdded?: number;
  disksUpdated?: number;
  disksDeleted?: number;
  controllersAdded?: number;
  controllersUpdated?: number;
  controllersDeleted?: number;
  portsAdded?: number;
  portsUpdated?: number;
  portsDeleted?: number;
}

@ObjectType({ implements: Node, description: 'A unit of work on one storage, from queued to its end.', simpleResolvers: true })
export class Task extends Node {
  @Field(() => TaskKindEnum)
  kind!: TaskKind;

  @Field(() => TaskStatusEnum)
  status!: TaskStatus;

  @Field(() => TaskPriorityEnum)
  priority!: TaskPriority;

  @Field(() => ID)
  storageId!: string;

  @Field(() => Float, { description: 'From 0 to 1, to 4 decimals.' })
  progress!: number;

  @Field(() => String, { nullable: true, description: 'The step running: "storage", "pools", "disks", "controllers", "ports", "volumes", "cleanup".' })
  phase?: string | null;

  @Field(() => String, { nullable: true })
  message?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the task failed, in words.' })
  error?: string | null;

  @Field(() => Int, { description: 'Deliveries of the task to a worker so far.' })
  attempts!: number;

  @Field(() => SyncStats, { nullable: true })
  stats?: SyncStats | null;

  @Field(() => ResourceTypeEnum, { nullable: true, description: 'The resource type a COLLECT_PERFORMANCE task polls.' })
  resourceType?: string | null;

  @Field(() => CollectionRecord, { nullable: true, description: 'What a COLLECT_PERFORMANCE task collected and lost.' })
  collection?: CollectionRecord | null;

  @Field(() => Int, { description: 'Grows with every change of the task; events carry it.' })
  version!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  scheduledFor?: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt?: Date | null;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

export const TaskConnection = connectionTypes('Task', Task);

@ObjectType({ simpleResolvers: true })
export class TaskEvent {
  @Field(() => TaskEventTypeEnum)
  type!: TaskEventType;

  @Field(() => Task)
  task!: Task;

  @Field(() => DateTimeScalar)
  at!: Date;
}
