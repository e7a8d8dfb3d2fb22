// Task events on core NATS subjects: the worker (and the api, for QUEUED/CANCELLED) publishes,
// every api process relays to its graphql-ws subscribers. Events carry the whole task row with
// its version, so a subscriber needs no extra query and can drop stale events.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { CollectionRecord, SyncStats, TaskKind, TaskPriority, TaskStatus } from '../db/entities/index.js';
import type { BusNames } from './subjects.js';

export const TASK_EVENT_TYPES = ['SCHEDULED', 'QUEUED', 'STARTED', 'PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/** A task as it travels in events (dates as Date once decoded). */
export interface TaskSnapshot {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  priority: TaskPriority;
  storageId: string;
  progress: number;
  phase?: string | null;
  message?: string | null;
  error?: string | null;
  attempts: number;
  stats?: SyncStats | null;
  resourceType?: string | null;
  collection?: CollectionRecord | null;
  version: number;
  scheduledFor?: Date | null;
  createdAt: Date;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  updatedAt: Date;
}

export interface TaskEvent {
  type: TaskEventType;
  task: TaskSnapshot;
  at: Date;
}

const DATE_FIELDS = ['scheduledFor', 'createdAt', 'startedAt', 'finishedAt', 'updatedAt'] as const;

export function encodeTaskEvent(event: TaskEvent): string {
  return JSON.stringify(event);
}

export function decodeTaskEvent(data: Uint8Array): TaskEvent {
  const raw = JSON.parse(new TextDecoder().decode(data)) as TaskEvent;
  const task = raw.task as unknown as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof task[f] === 'string') task[f] = new Date(task[f] as string);
  return { type: raw.type, task: raw.task, at: new Date(raw.at) };
}

/**
 * Every field of a task that events carry: each key of TaskSnapshot, which the compiler holds
 * complete (a field added to TaskSnapshot and not here fails the build), so events never drop
 * one. What a task row has beyond them (cancelRequested, busSequence) stays inside.
 */
const SNAPSHOT_FIELDS: Record<keyof TaskSnapshot, true> = {
  id: true, kind: true, status: true, priority: true, storageId: true, progress: true, phase: true,
  message: true, error: true, attempts: true, stats: true, resourceType: true, collection: true,
  version: true, scheduledFor: true, createdAt: true, startedAt: true, finishedAt: true, updatedAt: true,
};

export const TASK_SNAPSHOT_FIELDS = Object.keys(SNAPSHOT_FIELDS) as Array<keyof TaskSnapshot>;

export function toSnapshot(task: TaskSnapshot): TaskSnapshot {
  const snapshot: Record<string, unknown> = {};
  for (const f of TASK_SNAPSHOT_FIELDS) snapshot[f] = task[f] ?? null;
  return snapshot as unknown as TaskSnapshot;
}

export class TaskEventPublisher {
  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
  ) {}

  publish(type: TaskEventType, task: TaskSnapshot): void {
    const event: TaskEvent = { type, task: toSnapshot(task), at: new Date() };
    // Core NATS: progress is best-effort per message; the task row is the truth, and a
    // subscription starts from it.
    this.nc.publish(this.names.taskEvent(task.storageId, task.id), encodeTaskEvent(event));
  }
}

/** Every task event of the namespace, decoded (one subscription per api process). */
export function subscribeTaskEvents(
  nc: NatsConnection,
  names: BusNames,
  onEvent: (event: TaskEvent) => void,
): Subscription {
  return nc.subscribe(names.allTaskEvents, {
    callback: (err, msg) => {
      if (err) return;
      try {
        onEvent(decodeTaskEvent(msg.data));
      } catch {
        // a malformed event from a foreign publisher is ignored
      }
    },
  });
}
