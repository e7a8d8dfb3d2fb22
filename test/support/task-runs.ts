// Rule 2 checked on what the workers recorded: the runs of one storage (table task_run) never
// overlap. A run that never ended (its worker died) counts until its lease could expire.
import { withDb } from './db.js';

export interface RecordedRun {
  storage_id: string;
  task_id: string;
  worker: string;
  started_at: Date;
  effective_end: Date;
}

export async function recordedRuns(databaseUrl: string): Promise<RecordedRun[]> {
  return withDb(databaseUrl, async (c) =>
    (await c.query(`select storage_id, task_id, worker, started_at, coalesce(ended_at, lease_until) as effective_end
                    from task_run order by storage_id, started_at`)).rows,
  );
}

/** The first pair of overlapping runs of one storage, described; undefined when there is none. */
export function overlap(runs: RecordedRun[]): string | undefined {
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1]!;
    const cur = runs[i]!;
    if (prev.storage_id !== cur.storage_id || cur.started_at >= prev.effective_end) continue;
    return `runs of storage ${cur.storage_id} overlap: ${prev.task_id}@${prev.worker} until ${prev.effective_end.toISOString()}, ` +
      `${cur.task_id}@${cur.worker} from ${cur.started_at.toISOString()}`;
  }
  return undefined;
}
