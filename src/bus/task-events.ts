// Task events on core NATS subjects: the worker (and the api, for QUEUED/CANCELLED) publishes,
// every api process relays to its graphql-ws subscribers. Events carry the whole task row with
// its version, so a subscriber needs no extra query and can drop stale events.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { DATE_FIELDS, EVENT_FIELDS, type TaskSnapshot } from '../db/entities/task-fields.js';
import type { BusNames } from './subjects.js';

export const TASK_EVENT_TYPES = ['SCHEDULED', 'QUEUED', 'STARTED', 'PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/** A task as it travels in events (dates as Date once decoded): the fields of task-fields.ts that events carry. */
export type { TaskSnapshot };

export interface TaskEvent {
  type: TaskEventType;
  task: TaskSnapshot;
  at: Date;
}

export function encodeTaskEvent(event: TaskEvent): string {
  return JSON.stringify(event);
}

export function decodeTaskEvent(data: Uint8Array): TaskEvent {
  const raw = JSON.parse(new TextDecoder().decode(data)) as TaskEvent;
  const task = raw.task as unknown as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof task[f] === 'string') task[f] = new Date(task[f] as string);
  return { type: raw.type, task: raw.task, at: new Date(raw.at) };
}

/** The fields events carry, whatever else the row holds (the list in task-fields.ts says which). */
export function toSnapshot(task: TaskSnapshot): TaskSnapshot {
  const source = task as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of EVENT_FIELDS) out[f] = source[f] ?? null;
  return out as TaskSnapshot;
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

/**
 * Every task event of the namespace, decoded (one subscription per api process); those that
 * arrive while `wanted()` says no are dropped undecoded (an api answering a syncAllStorages
 * decoded its 10 000 QUEUED events, subscribers or not).
 */
export function subscribeTaskEvents(
  nc: NatsConnection,
  names: BusNames,
  onEvent: (event: TaskEvent) => void,
  wanted: () => boolean = () => true,
): Subscription {
  return nc.subscribe(names.allTaskEvents, {
    callback: (err, msg) => {
      if (err || !wanted()) return;
      try {
        onEvent(decodeTaskEvent(msg.data));
      } catch {
        // a malformed event from a foreign publisher is ignored
      }
    },
  });
}
