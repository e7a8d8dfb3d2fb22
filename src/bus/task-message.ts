// What travels on the task stream: only the task's id and kind. Everything else is read from
// PostgreSQL by the worker, so a redelivered message always acts on the current state.
import { TASK_KINDS, type TaskKind } from '../db/entities/enums.js';

export interface TaskMessage {
  taskId: string;
  kind: TaskKind;
}

export function encodeTaskMessage(m: TaskMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m));
}

export function decodeTaskMessage(data: Uint8Array): TaskMessage | undefined {
  try {
    const m = JSON.parse(new TextDecoder().decode(data)) as Partial<TaskMessage>;
    if (typeof m.taskId === 'string' && TASK_KINDS.includes(m.kind as TaskKind)) return m as TaskMessage;
  } catch {
    // fall through: a malformed message is terminated by the caller
  }
  return undefined;
}
