// REMOVE_STORAGE: delete wins over sync (rule 4). The storage was marked `deleting` by the
// mutation, so a running sync stops at its next checkpoint and gives up the lease; then the
// volumes go in bounded batches (each its own transaction) and the storage row last, which
// takes its access info, pools and lease with it (foreign keys cascade).
import { BaseTask, type TaskOutcome } from './base-task.js';
import type { TaskContext } from './task-context.js';

const BATCH = 10_000;

export class RemoveStorageTask extends BaseTask {
  readonly kind = 'REMOVE_STORAGE' as const;
  override readonly options = { stopsWhenStorageDeleted: false };

  async perform(ctx: TaskContext): Promise<TaskOutcome> {
    let removed = 0;
    await ctx.progress({ phase: 'volumes', progress: 0, message: 'removing volumes' });
    for (;;) {
      await ctx.checkpoint();
      const res = await ctx.sql.pool.query(
        `delete from volume where id in (select id from volume where storage_id = $1 limit ${BATCH})`,
        [ctx.storageId],
      );
      if (!res.rowCount) break;
      removed += res.rowCount;
      await ctx.progress({ phase: 'volumes', progress: 0.5, message: `${removed} volumes removed` });
    }
    await ctx.progress({ phase: 'storage', progress: 0.9, message: 'removing the storage, its pools and access info' });
    await ctx.sql.query('delete from storage where id = $1', [ctx.storageId]);
    return { message: `storage removed with ${removed} volumes` };
  }
}
