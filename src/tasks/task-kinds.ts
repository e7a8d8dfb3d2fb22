// Which class performs which task kind.
import type { TaskKind } from '../db/entities/index.js';
import type { BaseTask } from './base-task.js';
import { CollectPerformanceTask } from './collect-performance-task.js';
import { RemoveStorageTask } from './remove-storage-task.js';
import { SyncResourcesTask } from './sync-resources-task.js';

const KINDS: Partial<Record<TaskKind, BaseTask>> = {
  SYNC_RESOURCES: new SyncResourcesTask(),
  REMOVE_STORAGE: new RemoveStorageTask(),
  COLLECT_PERFORMANCE: new CollectPerformanceTask(),
};

export function taskFor(kind: TaskKind): BaseTask | undefined {
  return KINDS[kind];
}
