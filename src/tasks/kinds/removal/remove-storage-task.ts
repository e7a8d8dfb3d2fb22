// REMOVE_STORAGE: delete wins over sync (rule 4). The storage was marked `deleting` by the
// mutation, so a running sync stops at its next checkpoint and gives up the lease; then the
// volumes go in bounded batches (each its own transaction) and the storage row last, which
// takes its access info, pools, disks, controllers, ports and lease with it (foreign keys cascade).
import { BaseTask, type EndStatus, type TaskOutcome } from '../../runtime/base-task.js';
import type { TaskContext } from '../../runtime/task-context.js';
import { countVolumes, deleteVolumeBatch } from '../../../db/stores/volume-store.js';
import { deleteStorage } from '../../../db/stores/storage-store.js';

const BATCH = 10_000;

export class RemoveStorageTask extends BaseTask {
  readonly kind = 'REMOVE_STORAGE' as const;
  override readonly options = { stopsWhenStorageDeleted: false };

  async perform(ctx: TaskContext): Promise<TaskOutcome> {
    let removed = 0;
    let batch = 0;
    const total = await countVolumes(ctx.sql.q, ctx.storageId);
    await ctx.progress({ phase: 'volumes', progress: 0, message: `removing ${total} volumes` });
    do {
      await ctx.checkpoint();
      await ctx.step(async (q) => {
        batch = await deleteVolumeBatch(q, ctx.storageId, BATCH);
        removed += batch;
        return { phase: 'volumes', progress: total ? 0.9 * Math.min(1, removed / total) : 0, message: `${removed} of ${total} volumes removed` };
      });
    } while (batch > 0);
    await ctx.step(async (q) => {
      await deleteStorage(q, ctx.storageId);
      return { phase: 'storage', progress: 1, message: 'storage, pools, disks, controllers, ports and access info removed' };
    });
    return { message: `storage removed with ${removed} volumes` };
  }

  /** The exporters drop the storage's series (Prometheus would show them until they went stale). */
  override async afterEnd(ctx: TaskContext, status: EndStatus): Promise<void> {
    if (status === 'SUCCEEDED') await ctx.services.metrics?.retire({ storageId: ctx.storageId });
  }
}
