// Every name on the bus comes from the namespace (DELFIN_NAMESPACE), so several systems and
// parallel test runs share one NATS server without seeing each other's work.
import type { TaskPriority } from '../db/entities/enums.js';

export interface BusNames {
  /** JetStream work-queue stream of tasks. */
  taskStream: string;
  /** Subject of queued tasks of one priority: workers pull HIGH, then NORMAL, then LOW. */
  taskSubject(priority: TaskPriority): string;
  /** Durable pull consumer of one priority, shared by every worker. */
  taskConsumer(priority: TaskPriority): string;
  /** Core subject: "a task was queued", so idle workers pull at once instead of at their next poll. */
  taskWake: string;
  /** Core subject of the events of one task: <ns>.events.task.<storageId>.<taskId>. */
  taskEvent(storageId: string, taskId: string): string;
  /** Wildcard over every task event of the namespace (what an api process relays). */
  allTaskEvents: string;
  /** Core subject: "these storages' schedules changed in PostgreSQL" (api → scheduler). */
  schedulesChanged: string;
}

export function busNames(namespace: string): BusNames {
  return {
    taskStream: `${namespace}_TASKS`,
    taskSubject: (p) => `${namespace}.tasks.${p.toLowerCase()}`,
    taskConsumer: (p) => `${namespace}_tasks_${p.toLowerCase()}`,
    taskWake: `${namespace}.wake.tasks`,
    taskEvent: (storageId, taskId) => `${namespace}.events.task.${storageId}.${taskId}`,
    allTaskEvents: `${namespace}.events.task.>`,
    schedulesChanged: `${namespace}.schedules.changed`,
  };
}
