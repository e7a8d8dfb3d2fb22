// Enumerations shared by the database, the worker and the API (values are the contract's).
export const STORAGE_STATUSES = ['NORMAL', 'OFFLINE', 'ABNORMAL', 'DEGRADED', 'UNKNOWN'] as const;
export type StorageStatus = (typeof STORAGE_STATUSES)[number];

export const SYNC_STATES = ['NEVER_SYNCED', 'SYNCING', 'SYNCED', 'FAILED'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const TASK_KINDS = ['SYNC_RESOURCES', 'COLLECT_PERFORMANCE', 'REMOVE_STORAGE'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_STATUSES = ['SCHEDULED', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['SCHEDULED', 'QUEUED', 'RUNNING'];
export const isTerminal = (s: TaskStatus) => s === 'SUCCEEDED' || s === 'FAILED' || s === 'CANCELLED';

export const TASK_PRIORITIES = ['LOW', 'NORMAL', 'HIGH'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
