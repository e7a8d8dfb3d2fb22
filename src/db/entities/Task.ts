import { BigIntType, Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../lib/ids.js';
import {
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskKind,
  type TaskPriority,
  type TaskStatus,
} from './enums.js';

export interface SyncStats {
  poolsAdded: number;
  poolsUpdated: number;
  poolsDeleted: number;
  volumesAdded: number;
  volumesUpdated: number;
  volumesDeleted: number;
  disksAdded: number;
  disksUpdated: number;
  disksDeleted: number;
  controllersAdded: number;
  controllersUpdated: number;
  controllersDeleted: number;
  portsAdded: number;
  portsUpdated: number;
  portsDeleted: number;
}

/** A window of performance samples that could not be collected, and why. */
export interface LostWindow {
  start: string;
  end: string;
  reason: string;
}

/** A failed window kept for a later poll: how often it was tried, when next, and why it failed. */
export interface RetriedWindow {
  start: string;
  end: string;
  tries: number;
  /** Null for a counter-based driver: its next reading covers this time (the past cannot be read). */
  nextTryAt: string | null;
  reason: string;
}

/** A window collected by a later poll after it failed. */
export interface RecoveredWindow {
  start: string;
  end: string;
  tries: number;
}

/** Counters of a resource that went down between two readings (a reset, a restart, a wrap). */
export interface CounterResetRecord {
  resourceId: string;
  start: string;
  end: string;
  counters: string[];
}

/** What a COLLECT_PERFORMANCE task collected: windows, samples, retries and what was lost. */
export interface CollectionRecord {
  resourceType: string;
  windowsPlanned: number;
  windowsCollected: number;
  samples: number;
  /** Driver calls tried again after a failure. */
  retries: number;
  collectedFrom: string | null;
  collectedUntil: string | null;
  lostWindows: LostWindow[];
  /** Windows that failed in this poll and wait in the retry list for a later one (absent in older records). */
  retriedWindows?: RetriedWindow[];
  /** Windows that failed in an earlier poll and were collected in this one (absent in older records). */
  recoveredWindows?: RecoveredWindow[];
  /** Resources of a counter-based driver whose counters went down: that window has no sample (absent in older records). */
  counterResets?: CounterResetRecord[];
  /** Time not collected on purpose: beyond the back-fill horizon, or downtime of a non-historic poll. */
  skipped: { start: string; end: string; reason: string } | null;
}

/**
 * A unit of work on one storage. Its fields are declared once in task-fields.ts; this entity
 * follows that list (test/unit/task-fields.test.ts checks it). Its id is the JetStream message id, so publishing the same task
 * twice is deduplicated by the bus. `version` grows with every change; events carry it so a
 * subscriber can drop an event older than the state it already has.
 */
@Entity({ tableName: 'task' })
@Index({ properties: ['storageId', 'createdAt'] })
export class Task {
  [OptionalProps]?:
    | 'id'
    | 'status'
    | 'priority'
    | 'progress'
    | 'attempts'
    | 'cancelRequested'
    | 'version'
    | 'createdAt'
    | 'updatedAt'
    | 'periodic';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Enum({ items: () => [...TASK_KINDS], type: 'text' })
  kind!: TaskKind;

  @Enum({ items: () => [...TASK_STATUSES], type: 'text' })
  status: TaskStatus = 'QUEUED';

  @Enum({ items: () => [...TASK_PRIORITIES], type: 'text' })
  priority: TaskPriority = 'NORMAL';

  /** No foreign key: a task outlives the storage it removed. */
  @Property({ type: 'uuid' })
  storageId!: string;

  @Property({ type: 'double' })
  progress: number = 0;

  @Property({ type: 'text', nullable: true })
  phase?: string | null;

  @Property({ type: 'text', nullable: true })
  message?: string | null;

  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'json', nullable: true })
  stats?: SyncStats | null;

  /** The resource type a COLLECT_PERFORMANCE task polls. */
  @Property({ type: 'text', nullable: true })
  resourceType?: string | null;

  @Property({ type: 'json', nullable: true })
  collection?: CollectionRecord | null;

  @Property({ type: 'boolean' })
  cancelRequested: boolean = false;

  @Property({ type: 'integer' })
  version: number = 1;

  /** Where the task's message sits on the stream, while it is queued (to remove it on cancel). */
  @Property({ type: new BigIntType('number'), nullable: true })
  busSequence?: number | null;

  @Property({ type: 'timestamptz', nullable: true })
  scheduledFor?: Date | null;

  /** Queued by a periodic sync's tick, due at scheduledFor: unique per storage and due time (task_one_per_tick). */
  @Property({ type: 'boolean' })
  periodic: boolean = false;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
