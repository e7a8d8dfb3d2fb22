// REMOVE_STORAGE: delete wins over sync (rule 4). The storage was marked `deleting` by the
// mutation, so a running sync stops at its next checkpoint and gives up the lease; then the
// volumes go in bounded batches (each its own transaction) and the storage row last, which
// takes its access info, pools and lease with it (foreign keys cascade).
import { BaseTask, type EndStatus, type TaskOutcome } from './base-task.js';
import type { TaskContext } from './task-context.js';

const BATCH = 10_000;

export class RemoveStorageTask extends BaseTask {
  readonly kind = 'REMOVE_STORAGE' as const;
  override readonly options = { stopsWhenStorageDeleted: false };

  async perform(ctx: TaskContext): Promise<TaskOutcome> {
    let removed = 0;
    let batch = 0;
    const [{ n: total }] = await ctx.sql.query<{ n: number }>('select count(*)::int as n from volume where storage_id = $1', [ctx.storageId]);
    await ctx.progress({ phase: 'volumes', progress: 0, message: `removing ${total} volumes` });
    do {
      await ctx.checkpoint();
      await ctx.step(async (q) => {
        const res = await q.query(
          `delete from volume where id in (select id from volume where storage_id = $1 limit ${BATCH})`,
          [ctx.storageId],
        );
        batch = res.rowCount ?? 0;
        removed += batch;
        return { phase: 'volumes', progress: total ? 0.9 * Math.min(1, removed / total) : 0, message: `${removed} of ${total} volumes removed` };
      });
    } while (batch > 0);
    await ctx.step(async (q) => {
      await q.query('delete from storage where id = $1', [ctx.storageId]);
      return { phase: 'storage', progress: 1, message: 'storage, pools and access info removed' };
    });
    return { message: `storage removed with ${removed} volumes` };
  }

  /** The exporters drop the storage's series (Prometheus would show them until they went stale). */
  override async afterEnd(ctx: TaskContext, status: EndStatus): Promise<void> {
    if (status === 'SUCCEEDED') await ctx.services.metrics?.retire({ storageId: ctx.storageId });
  }
}
