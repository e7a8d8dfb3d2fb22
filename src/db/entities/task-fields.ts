// The shape of a task, declared once: every field with its column, how a row's value becomes
// the field's, its GraphQL type (none: not in the API) and whether events carry it. The task
// store's columns and row mapping and the event snapshot derive from this list; the MikroORM
// entity (Task.ts) and the GraphQL type (api/types/task.ts) are checked against it by
// test/unit/task-fields.test.ts, so a new field cannot reach one and miss another.
import type { CollectionRecord, SyncStats } from './Task.js';
import type { TaskKind, TaskPriority, TaskStatus } from './enums.js';

/** How a column's value is read: pg gives bigints as strings, jsonb as objects, timestamptz as Date. */
type Read = 'text' | 'number' | 'bigint' | 'boolean' | 'json' | 'date';

interface TaskField {
  /** The column in the task table. */
  column: string;
  read: Read;
  nullable: boolean;
  /** The field's type in the GraphQL schema (as printed), or null when the API does not show it. */
  graphql: string | null;
  /** Whether task events carry it (the API's task, as subscribers see it). */
  inEvents: boolean;
}

export const TASK_FIELDS = {
  id: { column: 'id', read: 'text', nullable: false, graphql: 'ID!', inEvents: true },
  kind: { column: 'kind', read: 'text', nullable: false, graphql: 'TaskKind!', inEvents: true },
  status: { column: 'status', read: 'text', nullable: false, graphql: 'TaskStatus!', inEvents: true },
  priority: { column: 'priority', read: 'text', nullable: false, graphql: 'TaskPriority!', inEvents: true },
  storageId: { column: 'storage_id', read: 'text', nullable: false, graphql: 'ID!', inEvents: true },
  progress: { column: 'progress', read: 'number', nullable: false, graphql: 'Float!', inEvents: true },
  phase: { column: 'phase', read: 'text', nullable: true, graphql: 'String', inEvents: true },
  message: { column: 'message', read: 'text', nullable: true, graphql: 'String', inEvents: true },
  error: { column: 'error', read: 'text', nullable: true, graphql: 'String', inEvents: true },
  attempts: { column: 'attempts', read: 'number', nullable: false, graphql: 'Int!', inEvents: true },
  stats: { column: 'stats', read: 'json', nullable: true, graphql: 'SyncStats', inEvents: true },
  resourceType: { column: 'resource_type', read: 'text', nullable: true, graphql: 'ResourceType', inEvents: true },
  collection: { column: 'collection', read: 'json', nullable: true, graphql: 'CollectionRecord', inEvents: true },
  version: { column: 'version', read: 'number', nullable: false, graphql: 'Int!', inEvents: true },
  scheduledFor: { column: 'scheduled_for', read: 'date', nullable: true, graphql: 'DateTime', inEvents: true },
  createdAt: { column: 'created_at', read: 'date', nullable: false, graphql: 'DateTime!', inEvents: true },
  startedAt: { column: 'started_at', read: 'date', nullable: true, graphql: 'DateTime', inEvents: true },
  finishedAt: { column: 'finished_at', read: 'date', nullable: true, graphql: 'DateTime', inEvents: true },
  updatedAt: { column: 'updated_at', read: 'date', nullable: false, graphql: 'DateTime!', inEvents: true },
  cancelRequested: { column: 'cancel_requested', read: 'boolean', nullable: false, graphql: null, inEvents: false },
  busSequence: { column: 'bus_sequence', read: 'bigint', nullable: true, graphql: null, inEvents: false },
  periodic: { column: 'periodic', read: 'boolean', nullable: false, graphql: null, inEvents: false },
} as const satisfies Record<string, TaskField>;

export type TaskFieldName = keyof typeof TASK_FIELDS;

/** A task row, whole. */
export interface TaskRecord {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  priority: TaskPriority;
  storageId: string;
  progress: number;
  phase: string | null;
  message: string | null;
  error: string | null;
  attempts: number;
  stats: SyncStats | null;
  resourceType: string | null;
  collection: CollectionRecord | null;
  version: number;
  scheduledFor: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  cancelRequested: boolean;
  busSequence: number | null;
  /** Queued by a periodic sync's tick (scheduledFor: its due time); one task per tick. */
  periodic: boolean;
}

type Fields = typeof TASK_FIELDS;

/** The fields task events carry. */
export type EventFieldName = { [K in TaskFieldName]: Fields[K]['inEvents'] extends true ? K : never }[TaskFieldName];

/** A task as it travels in events: the fields of the list that events carry (the nullable ones may be left out). */
export type TaskSnapshot = { [K in EventFieldName as Fields[K]['nullable'] extends true ? never : K]: TaskRecord[K] } & {
  [K in EventFieldName as Fields[K]['nullable'] extends true ? K : never]?: TaskRecord[K];
};

// Compile-time: the record has exactly the listed fields.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exactlyTheListedFields: Same<keyof TaskRecord, TaskFieldName> = true;
void exactlyTheListedFields;

const ENTRIES = Object.entries(TASK_FIELDS) as Array<[TaskFieldName, TaskField]>;

export const EVENT_FIELDS = ENTRIES.filter(([, d]) => d.inEvents).map(([name]) => name) as EventFieldName[];

/** Fields that travel as ISO strings in events and are Dates again once decoded. */
export const DATE_FIELDS = ENTRIES.filter(([, d]) => d.read === 'date').map(([name]) => name);

/** The select list of a whole task row. */
export const TASK_COLUMNS = ENTRIES.map(([, d]) => d.column).join(', ');

function read(d: TaskField, v: unknown): unknown {
  if (v === null || v === undefined) return d.nullable ? null : v;
  switch (d.read) {
    case 'number':
    case 'bigint':
      return Number(v);
    case 'boolean':
      return Boolean(v);
    default:
      return v;
  }
}

/** A task row as PostgreSQL returns it (snake_case columns) → the task. */
export function taskFromRow(r: Record<string, unknown>): TaskRecord {
  const out: Record<string, unknown> = {};
  for (const [name, d] of ENTRIES) out[name] = read(d, r[d.column]);
  return out as unknown as TaskRecord;
}
