// Which class performs which task kind. The table is total: a kind added to TASK_KINDS without
// a class here fails to compile.
import type { TaskKind } from '../../db/entities/index.js';
import type { BaseTask } from '../runtime/base-task.js';
import { CollectPerformanceTask } from './performance/collect-performance-task.js';
import { RemoveStorageTask } from './removal/remove-storage-task.js';
import { SyncResourcesTask } from './sync/sync-resources-task.js';

const KINDS: Record<TaskKind, BaseTask> = {
  SYNC_RESOURCES: new SyncResourcesTask(),
  REMOVE_STORAGE: new RemoveStorageTask(),
  COLLECT_PERFORMANCE: new CollectPerformanceTask(),
};

/** The class of a kind; undefined for a kind this worker does not know (a row written by a newer version). */
export function taskFor(kind: TaskKind): BaseTask | undefined {
  return Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
}
