// SYNC_RESOURCES: the array, then its pools, then its volumes page by page, then the volumes
// the device no longer has. Progress is reported per phase and per page.
import type { SyncStats } from '../db/entities/index.js';
import { BaseTask, type TaskOutcome } from './base-task.js';
import type { TaskContext } from './task-context.js';
import { syncPools } from './sync/pool-sync.js';
import { setSyncState, syncStorageRow } from './sync/storage-sync.js';
import { emptyStats } from './sync/sync-stats.js';
import { VolumeSync } from './sync/volume-sync.js';

/** Where each phase starts on the 0..1 progress scale. */
const AT = { storage: 0, pools: 0.05, volumes: 0.15, cleanup: 0.95 } as const;

export class SyncResourcesTask extends BaseTask {
  readonly kind = 'SYNC_RESOURCES' as const;

  override async onStart(ctx: TaskContext): Promise<void> {
    await setSyncState(ctx.sql.q, ctx.storageId, 'SYNCING');
  }

  async perform(ctx: TaskContext): Promise<TaskOutcome> {
    const driver = await ctx.services.devices.open(ctx.storageId);
    try {
      const stats = emptyStats();
      await ctx.checkpoint();
      await ctx.progress({ phase: 'storage', progress: AT.storage, message: 'reading the array' });
      const device = await driver.getStorage();
      await ctx.checkpoint();
      await syncStorageRow(ctx.sql.q, ctx.storageId, device);

      await ctx.progress({ phase: 'pools', progress: AT.pools, message: 'listing pools' });
      const pools = await driver.listPools();
      await ctx.checkpoint();
      const p = await ctx.sql.tx((q) => syncPools(q, ctx.storageId, pools));
      Object.assign(stats, { poolsAdded: p.added, poolsUpdated: p.updated, poolsDeleted: p.deleted });
      await ctx.progress({ phase: 'pools', progress: AT.volumes, message: `${pools.length} pools`, stats });

      const volumes = new VolumeSync(ctx.sql, ctx.storageId, ctx.services.policy.sync.writeBatchSize);
      await ctx.progress({ phase: 'volumes', progress: AT.volumes, message: 'listing volumes', stats });
      for await (const page of driver.listVolumes()) {
        await ctx.checkpoint();
        await volumes.writePage(page.items);
        Object.assign(stats, { volumesAdded: volumes.added, volumesUpdated: volumes.updated });
        const share = page.total ? Math.min(1, volumes.processed / page.total) : 0;
        const of = page.total !== undefined ? ` of ${page.total}` : '';
        await ctx.progress({
          phase: 'volumes',
          progress: AT.volumes + (AT.cleanup - AT.volumes) * share,
          message: `${volumes.processed}${of} volumes`,
          stats,
        });
      }

      await ctx.checkpoint();
      await ctx.progress({ phase: 'cleanup', progress: AT.cleanup, message: 'removing what the array no longer has', stats });
      stats.volumesDeleted = await volumes.deleteMissing();
      return { stats, message: summary(pools.length, volumes.processed, stats) };
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  override async onEnd(ctx: TaskContext, status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'): Promise<void> {
    if (status === 'SUCCEEDED') await setSyncState(ctx.sql.q, ctx.storageId, 'SYNCED');
    else if (status === 'FAILED') await setSyncState(ctx.sql.q, ctx.storageId, 'FAILED');
    else await restoreSyncState(ctx);
  }
}

/** A cancelled sync leaves the state of the last sync that ended. */
async function restoreSyncState(ctx: TaskContext): Promise<void> {
  await ctx.sql.query(
    `update storage set sync_state = case when last_synced_at is null then 'NEVER_SYNCED' else 'SYNCED' end,
       updated_at = now() where id = $1 and sync_state = 'SYNCING'`,
    [ctx.storageId],
  );
}

function summary(pools: number, volumes: number, s: SyncStats): string {
  return (
    `synced ${pools} pools (+${s.poolsAdded} ~${s.poolsUpdated} -${s.poolsDeleted}) and ` +
    `${volumes} volumes (+${s.volumesAdded} ~${s.volumesUpdated} -${s.volumesDeleted})`
  );
}
