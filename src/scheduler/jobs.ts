import type { ResourceType } from '../drivers/driver.js';

// The scheduler's Agenda jobs, made by the reconciler from what PostgreSQL wants. Every job
// carries its storage id in its data, so a storage's jobs are found with one query.

/** Repeating, one per storage: queue a sync (coalesced with an open one). */
export const SYNC_STORAGE_JOB = 'sync-storage';
/** Repeating, one per storage and resource type: queue a performance poll. */
export const COLLECT_PERFORMANCE_JOB = 'collect-performance';
/** Once, at a SCHEDULED task's time: queue it. */
export const RUN_TASK_JOB = 'run-task';

export interface SyncStorageData {
  storageId: string;
  /** The sync_schedule row the job was made from (its updated_at): another one means the schedule changed. */
  version?: string;
}

export interface CollectPerformanceData {
  storageId: string;
  resourceType: ResourceType;
}

export interface RunTaskData {
  storageId: string;
  taskId: string;
}

/** How a periodic sync repeats: every N seconds, or on a cron expression. */
export type Repeat = { intervalSeconds: number; cron?: undefined } | { cron: string; intervalSeconds?: undefined };

/** Agenda's repeatInterval: milliseconds as a number (Agenda's strings would be read as human intervals). */
export const repeatInterval = (r: Repeat): number | string => (r.cron !== undefined ? r.cron : r.intervalSeconds * 1000);
