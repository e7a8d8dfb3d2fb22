// SYNC_RESOURCES: the array, its pools, its disks, controllers and ports (when the driver lists
// them; ports after controllers, so a port's controller is there) and its alerts (drivers that list
// them), read and checked, then written in one step; then its volumes page by page, then the volumes the device no longer has. Each
// write commits with the counts it adds to the task's SyncStats, so a redelivered task resumes
// the counts where the crashed run left them, and they stay exact. Between calls to the array
// the task checks only that its worker is not stopping (no statement): each progress report and
// step that follows reads the task and its storage anyway, and stops there if it was cancelled
// or the storage is being deleted (a step rolls back whole). The phases after the first are
// announced without waiting for their write (progressLater): a quick listing does not wait for
// a round trip, and announcements that follow each other faster than the database are merged.
import type { SyncStats } from '../../../db/entities/index.js';
import { BaseTask, type EndStatus, type TaskOutcome } from '../../runtime/base-task.js';
import type { TaskContext } from '../../runtime/task-context.js';
import type { Queryable, TxClient } from '../../../db/sql.js';
import type { DevicePool, DeviceStorage, Page, StorageDriver } from '../../../drivers/driver.js';
import { syncPools } from './pool-sync.js';
import { CONTROLLER_KIND, DISK_KIND, PORT_KIND, gatherPages, syncInventory, type InventoryKind } from './inventory-sync.js';
import { syncStorageRow } from './storage-sync.js';
import { announceAlertChanges, listDeviceAlerts, writeAlertListing, type AlertChanges, type AlertListing } from './alert-sync.js';
import { finishSync, markSyncStarted, restoreSyncState } from '../../../db/stores/storage-store.js';
import { emptyStats } from './sync-stats.js';
import { VolumeSync } from './volume-sync.js';
import { prefetch } from '../../../lib/prefetch.js';
import { POOL_SHAPE, STORAGE_SHAPE, VOLUME_SHAPE, listProblem, pageProblem, refuse, resourceProblem } from './device-checks.js';

/** Pending volume changes are written at least this often, whatever their number. */
const FLUSH_EVERY_MS = 250;

/** Where each phase starts on the 0..1 progress scale. */
const AT = { storage: 0, pools: 0.05, disks: 0.08, controllers: 0.11, ports: 0.13, alerts: 0.14, volumes: 0.15, cleanup: 0.95 } as const;

export class SyncResourcesTask extends BaseTask {
  readonly kind = 'SYNC_RESOURCES' as const;
  override readonly startsWith = { phase: 'storage', progress: AT.storage, message: 'reading the array' };

  override async onStart(q: Queryable, ctx: TaskContext): Promise<void> {
    await markSyncStarted(q, ctx.storageId);
  }

  async perform(ctx: TaskContext): Promise<TaskOutcome> {
    const driver = await ctx.services.devices.open(ctx.storageId);
    try {
      const stats: SyncStats = { ...emptyStats(), ...ctx.task.stats };
      ctx.throwIfHandedBack();
      // What is stored is read while the array answers for itself and its pools.
      const volumes = new VolumeSync(ctx.storageId);
      const loaded = ctx.sql.withClient((client) => volumes.load(client));
      loaded.catch(() => undefined); // awaited below; a failure before then must not go unhandled
      const small = await readSmallInventory(ctx, driver);
      await writeSmallInventory(ctx, small, stats);
      await loaded;
      await syncVolumeList(ctx, driver, volumes, stats);
      return { stats, message: summary(small.pools.length, volumes.processed, stats) };
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  /** The storage's sync state follows the end, in the end's transaction. */
  override async onEnd(q: Queryable, ctx: TaskContext, status: EndStatus): Promise<void> {
    if (status === 'SUCCEEDED') await finishSync(q, ctx.storageId, 'SYNCED');
    else if (status === 'FAILED') await finishSync(q, ctx.storageId, 'FAILED');
    else await restoreSyncState(q, ctx.storageId);
  }

  /** The inventory message, once the sync's end (and the storage's last sync time) committed. */
  override async afterEnd(ctx: TaskContext, status: EndStatus): Promise<void> {
    if (status !== 'SUCCEEDED' || !ctx.services.inventory) return;
    await ctx.services.inventory
      .publish(ctx.sql.q, ctx.storageId, ctx.task.id, ctx.task.stats)
      .catch((err: Error) => ctx.services.logger.warn({ storageId: ctx.storageId, err: err.message }, 'could not publish the inventory message'));
  }
}

/** What the array says of itself, its pools, its hardware and its alerts: read and checked before any is written. */
interface SmallInventory {
  array: DeviceStorage;
  pools: DevicePool[];
  hardware: Array<{ kind: InventoryKind<unknown>; items: unknown[] }>;
  /** None when the driver lists no alerts or their listing failed (then they stay as they were). */
  alerts?: AlertListing;
}

/** Reads the array, its pools, its disks, controllers and ports, and its alerts (those the driver lists). */
async function readSmallInventory(ctx: TaskContext, driver: StorageDriver): Promise<SmallInventory> {
  const array = await driver.getStorage();
  refuse('storage', resourceProblem(STORAGE_SHAPE, array));
  ctx.throwIfHandedBack();
  ctx.progressLater({ phase: 'pools', progress: AT.pools, message: 'listing pools' });
  const pools = await driver.listPools();
  refuse('pools', listProblem(POOL_SHAPE, pools));
  ctx.throwIfHandedBack();
  const hardware: SmallInventory['hardware'] = [];
  const listings: Array<[InventoryKind<any>, (() => AsyncIterable<Page<unknown>>) | undefined]> = [
    [DISK_KIND, driver.listDisks && (() => driver.listDisks!())],
    [CONTROLLER_KIND, driver.listControllers && (() => driver.listControllers!())],
    [PORT_KIND, driver.listPorts && (() => driver.listPorts!())],
  ];
  for (const [kind, list] of listings) {
    if (!list) continue;
    ctx.progressLater({ phase: kind.phase, progress: AT[kind.phase], message: `listing ${kind.phase}` });
    const items = await gatherPages<unknown>(list(), kind.shape, () => ctx.throwIfHandedBack());
    ctx.throwIfHandedBack();
    hardware.push({ kind, items });
  }
  if (driver.listAlerts) ctx.progressLater({ phase: 'alerts', progress: AT.alerts, message: 'listing alerts' });
  const alerts = await listDeviceAlerts(ctx, driver);
  ctx.throwIfHandedBack();
  return { array, pools, hardware, alerts };
}

/**
 * The array's state, its pools, its hardware and its alerts, diffed and written in one step: a
 * listing that fails or is malformed leaves all of them as they were (a failed alert listing
 * leaves the alerts alone and the rest goes on).
 */
async function writeSmallInventory(ctx: TaskContext, inv: SmallInventory, stats: SyncStats): Promise<void> {
  let alertChanges: AlertChanges | undefined;
  await ctx.step(async (q) => {
    await syncStorageRow(q, ctx.storageId, inv.array);
    const p = await syncPools(q, ctx.storageId, inv.pools);
    stats.poolsAdded += p.added;
    stats.poolsUpdated += p.updated;
    stats.poolsDeleted += p.deleted;
    const counts = [`${inv.pools.length} pools`];
    for (const { kind, items } of inv.hardware) {
      const c = await syncInventory(q, kind.table, ctx.storageId, items);
      stats[kind.stats.added] += c.added;
      stats[kind.stats.updated] += c.updated;
      stats[kind.stats.deleted] += c.deleted;
      counts.push(`${items.length} ${kind.phase}`);
    }
    if (inv.alerts) {
      const written = await writeAlertListing(q, ctx, inv.alerts);
      alertChanges = written.changes;
      counts.push(written.summary);
    }
    // The step's report opens the volumes' phase (no announcement of its own: one write less).
    return { phase: 'volumes', progress: AT.volumes, message: `${counts.join(', ')}; listing volumes`, stats };
  });
  if (alertChanges) announceAlertChanges(ctx, alertChanges);
}

/**
 * Its volumes, page by page: each page is diffed; the changes are written once a batch is
 * full or due (so a slow array's volumes show up as they come); a page that leaves them
 * pending only reports its progress. Then what the array no longer lists is removed.
 */
async function syncVolumeList(ctx: TaskContext, driver: StorageDriver, volumes: VolumeSync, stats: SyncStats): Promise<void> {
  const flush = async (q: TxClient) => {
    const written = await volumes.flush(q);
    stats.volumesAdded += written.added;
    stats.volumesUpdated += written.updated;
  };
  const batchSize = ctx.services.policy.sync.writeBatchSize;
  let flushedAt = Date.now();
  for await (const page of prefetch(driver.listVolumes())) {
    ctx.throwIfHandedBack(); // a cancel or a deletion is seen by the step itself
    refuse('volumes', pageProblem(VOLUME_SHAPE, page));
    volumes.classify(page.items);
    const progress = () => volumeProgress(volumes.processed, page.total, stats);
    const due = volumes.pendingCount > 0 && Date.now() - flushedAt >= FLUSH_EVERY_MS;
    if (volumes.pendingCount >= batchSize || due) {
      await ctx.step(async (q) => (await flush(q), progress()));
      flushedAt = Date.now();
    } else ctx.progressLater(progress());
  }
  await ctx.settle();
  ctx.throwIfHandedBack();
  await ctx.step(async (q) => {
    await flush(q);
    stats.volumesDeleted += await volumes.deleteMissing(q);
    return { phase: 'cleanup', progress: AT.cleanup, message: 'volumes the array no longer has removed', stats };
  });
}

function volumeProgress(processed: number, total: number | undefined, stats: SyncStats) {
  const share = total ? Math.min(1, processed / total) : 0;
  return {
    phase: 'volumes',
    progress: AT.volumes + (AT.cleanup - AT.volumes) * share,
    message: `${processed}${total !== undefined ? ` of ${total}` : ''} volumes`,
    stats,
  };
}

function summary(pools: number, volumes: number, s: SyncStats): string {
  return (
    `synced ${pools} pools (+${s.poolsAdded} ~${s.poolsUpdated} -${s.poolsDeleted}) and ` +
    `${volumes} volumes (+${s.volumesAdded} ~${s.volumesUpdated} -${s.volumesDeleted})` +
    hardwareSummary(s)
  );
}

/** The hardware's changes, when there were any (most syncs change none). */
function hardwareSummary(s: SyncStats): string {
  const parts = (['disks', 'controllers', 'ports'] as const)
    .map((k) => [k, s[`${k}Added`], s[`${k}Updated`], s[`${k}Deleted`]] as const)
    .filter(([, a, u, d]) => a + u + d > 0)
    .map(([k, a, u, d]) => `${k} +${a} ~${u} -${d}`);
  return parts.length ? `; ${parts.join(', ')}` : '';
}
