// One row per run of a task by a worker: who ran it, from when, the last sign of life, how it
// ended. A worker killed mid-run leaves a run without an end; its lease expiry bounds it.
import type { Queryable, Sql } from '../sql.js';

export type RunOutcome = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'HANDED_BACK' | 'RETRY';

export class TaskRuns {
  constructor(private readonly sql: Sql) {}

  /** On `q`: the worker records the run in the transaction that starts it. */
  async start(taskId: string, storageId: string, worker: string, attempt: number, leaseUntil: Date, q: Queryable = this.sql.q): Promise<number> {
    const { rows } = await q.query(
      'insert into task_run (task_id, storage_id, worker, attempt, lease_until) values ($1, $2, $3, $4, $5) returning id',
      [taskId, storageId, worker, attempt, leaseUntil],
    );
    return Number(rows[0]!.id);
  }

  async heartbeat(runId: number, leaseUntil: Date): Promise<void> {
    await this.sql.query('update task_run set heartbeat_at = now(), lease_until = $2 where id = $1', [runId, leaseUntil]);
  }

  /** On `q`: a run that ends its task ends in the task's end transaction. */
  async end(runId: number, outcome: RunOutcome, q: Queryable = this.sql.q): Promise<void> {
    await q.query('update task_run set ended_at = now(), heartbeat_at = now(), outcome = $2 where id = $1 and ended_at is null', [
      runId,
      outcome,
    ]);
  }
}
