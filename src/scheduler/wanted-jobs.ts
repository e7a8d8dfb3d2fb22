// What PostgreSQL wants the job store to hold: the one home of every schedule (rule 8). Read
// for every storage (the sweeps) or for a few (a "schedules changed" message). A storage being
// deleted wants nothing: delete wins (rule 4).
import { SCHEDULE_VERSION } from '../db/stores/sync-schedule-store.js';
import { POLLINGS } from '../db/stores/metrics-config-store.js';
import type { Queryable } from '../db/sql.js';
import type { ResourceType } from '../drivers/driver.js';
import type { Repeat } from './jobs.js';

/** A storage's periodic sync; `version` changes with every write of its row (a re-set restarts it). */
export interface WantedSync {
  storageId: string;
  repeat: Repeat;
  enabled: boolean;
  version: string;
}

export interface WantedPolling {
  storageId: string;
  resourceType: ResourceType;
  intervalSeconds: number;
}

/** A SCHEDULED task waiting for its time. */
export interface WantedRun {
  storageId: string;
  taskId: string;
  runAt: Date;
}

export interface WantedJobs {
  syncs: WantedSync[];
  pollings: WantedPolling[];
  runs: WantedRun[];
}

/** null: every storage. */
export type StorageScope = readonly string[] | null;

/** The storages of the scope that are not being deleted, as a SQL condition on `s`. */
/** One (type, enabled, interval) row per polling config of a metrics_config row. */
const POLLING_VALUES = POLLINGS.map(({ resourceType, column: c }) => `('${resourceType}', c.${c}_perf_collection, c.${c}_interval)`).join(', ');

const LIVE = `not s.deleting and ($1::uuid[] is null or s.id = any($1::uuid[]))`;

/** Microseconds since the epoch: updated_at exactly (a JS Date would drop the microseconds). */

export async function wantedJobs(q: Queryable, scope: StorageScope): Promise<WantedJobs> {
  const params = [scope ? [...scope] : null];
  const [syncs, pollings, runs] = await Promise.all([
    q.query(
      `select c.storage_id, c.enabled, c.interval_seconds, c.cron, ${SCHEDULE_VERSION} as version
       from sync_schedule c join storage s on s.id = c.storage_id where ${LIVE}`,
      params,
    ),
    q.query(
      `select c.storage_id, p.type, p.interval from metrics_config c join storage s on s.id = c.storage_id,
       lateral (values ${POLLING_VALUES}) as p(type, enabled, interval)
       where p.enabled and ${LIVE}`,
      params,
    ),
    q.query(
      `select t.id, t.storage_id, t.scheduled_for from task t join storage s on s.id = t.storage_id
       where t.status = 'SCHEDULED' and t.scheduled_for is not null and ${LIVE}`,
      params,
    ),
  ]);
  return {
    syncs: syncs.rows.map((r) => ({
      storageId: r.storage_id as string,
      repeat: r.cron !== null ? { cron: r.cron as string } : { intervalSeconds: Number(r.interval_seconds) },
      enabled: Boolean(r.enabled),
      version: r.version as string,
    })),
    pollings: pollings.rows.map((r) => ({ storageId: r.storage_id as string, resourceType: r.type as ResourceType, intervalSeconds: Number(r.interval) })),
    runs: runs.rows.map((r) => ({ storageId: r.storage_id as string, taskId: r.id as string, runAt: r.scheduled_for as Date })),
  };
}
