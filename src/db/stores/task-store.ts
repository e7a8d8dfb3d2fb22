// The task table's store: the only module that writes it. Every change is one atomic
// statement that bumps `version` and returns the new row, which the caller publishes as an event. Guards in the WHERE clauses make each transition
// idempotent: applying it twice (a redelivered task) changes nothing the second time.
import type { Queryable } from '../sql.js';
import type { CollectionRecord, SyncStats, TaskKind, TaskPriority, TaskStatus } from '../entities/index.js';
import { TASK_COLUMNS, taskFromRow, type TaskRecord } from '../entities/task-fields.js';
import { newId } from '../../lib/ids.js';
import { addToCounters, taskEndIncrements } from './system-counter-store.js';

const COLUMNS = TASK_COLUMNS;

/**
 * The conflict target of the partial unique index task_one_open_per_storage_and_kind
 * (migration 1): at most one open sync and one open removal per storage (rule 2).
 */
const ONE_OPEN_PER_STORAGE =
  "on conflict (storage_id, kind) where status in ('QUEUED', 'RUNNING') and kind in ('SYNC_RESOURCES', 'REMOVE_STORAGE')";

/** A whole task row (its fields are declared once, in db/entities/task-fields.ts). */
export type TaskRow = TaskRecord;

export { taskFromRow };

async function one(q: Queryable, text: string, params: unknown[]): Promise<TaskRow | undefined> {
  const { rows } = await q.query(text, params);
  return rows[0] ? taskFromRow(rows[0]) : undefined;
}

export interface NewTask {
  kind: TaskKind;
  storageId: string;
  priority: TaskPriority;
  status?: TaskStatus;
  scheduledFor?: Date | null;
  message?: string | null;
}

/**
 * Inserts a task, or, when the same storage already has an open task of a kind that allows only
 * one (sync, removal: rule 2), returns that one instead. `created` tells which happened.
 */
export async function insertOrCoalesce(q: Queryable, t: NewTask): Promise<{ task: TaskRow; created: boolean }> {
  for (;;) {
    const inserted = await one(
      q,
      `insert into task (id, kind, status, priority, storage_id, scheduled_for, message)
       values ($1, $2, $3, $4, $5, $6, $7)
       ${ONE_OPEN_PER_STORAGE}
       do nothing returning ${COLUMNS}`,
      [newId(), t.kind, t.status ?? 'QUEUED', t.priority, t.storageId, t.scheduledFor ?? null, t.message ?? null],
    );
    if (inserted) return { task: inserted, created: true };
    const open = await findOpen(q, t.storageId, t.kind);
    if (open) return { task: open, created: false };
    // The open task ended between the two statements: try again.
  }
}

export function findOpen(q: Queryable, storageId: string, kind: TaskKind): Promise<TaskRow | undefined> {
  return one(
    q,
    `select ${COLUMNS} from task where storage_id = $1 and kind = $2 and status in ('QUEUED', 'RUNNING')
     order by created_at limit 1`,
    [storageId, kind],
  );
}

export function getTask(q: Queryable, id: string): Promise<TaskRow | undefined> {
  return one(q, `select ${COLUMNS} from task where id = $1`, [id]);
}

/** Where a run starts: its progress, phase and message, written with RUNNING. */
export type StartProgress = Pick<ProgressPatch, 'progress' | 'phase' | 'message'>;

/** QUEUED (or a redelivered RUNNING) → RUNNING, counting the attempt, with its first progress (`start`) if any. */
export async function markRunning(q: Queryable, id: string, start: StartProgress = {}): Promise<(TaskRow & { storageName: string | null }) | undefined> {
  // The same statement reads the storage's name, which the line logged at the task's end shows
  // (even after a removal).
  const { rows } = await q.query(
    `update task set status = 'RUNNING', attempts = attempts + 1, started_at = coalesce(started_at, now()),
       error = null, progress = coalesce($2, progress), phase = coalesce($3, phase), message = coalesce($4, message),
       version = version + 1, updated_at = now()
     where id = $1 and status in ('QUEUED', 'RUNNING')
     returning ${COLUMNS}, (select name from storage where storage.id = task.storage_id) as storage_name`,
    [id, start.progress ?? null, start.phase ?? null, start.message ?? null],
  );
  return rows[0] ? { ...taskFromRow(rows[0]), storageName: (rows[0].storage_name as string | null) ?? null } : undefined;
}

export interface ProgressPatch {
  progress?: number;
  phase?: string | null;
  message?: string | null;
  stats?: SyncStats | null;
  collection?: CollectionRecord | null;
}

/** Decimals of progress a person reads: 0.55, not 0.5499999999999999 (float sums of phase shares). */
const PROGRESS_DECIMALS = 4;

export function roundProgress(progress: number): number {
  const scale = 10 ** PROGRESS_DECIMALS;
  return Math.round(progress * scale) / scale;
}

/**
 * Progress of a RUNNING task, stored rounded (roundProgress) so events and queries show the
 * same; undefined when the task is no longer running. The row also tells
 * whether its storage is being deleted, so a step learns it needs to stop without another query.
 */
export async function updateProgress(
  q: Queryable,
  id: string,
  p: ProgressPatch,
): Promise<(TaskRow & { storageDeleting: boolean }) | undefined> {
  const { rows } = await q.query(
    `update task set progress = coalesce($2, progress), phase = coalesce($3, phase), message = coalesce($4, message),
       stats = coalesce($5, stats), collection = coalesce($6, collection), version = version + 1, updated_at = now()
     where id = $1 and status = 'RUNNING'
     returning ${COLUMNS}, coalesce((select deleting from storage where storage.id = task.storage_id), true) as storage_deleting`,
    [id, p.progress === undefined ? null : roundProgress(p.progress), p.phase ?? null, p.message ?? null, json(p.stats), json(p.collection)],
  );
  return rows[0] ? { ...taskFromRow(rows[0]), storageDeleting: Boolean(rows[0].storage_deleting) } : undefined;
}

export interface Finish {
  status: Extract<TaskStatus, 'SUCCEEDED' | 'FAILED' | 'CANCELLED'>;
  message?: string | null;
  error?: string | null;
  stats?: SyncStats | null;
  collection?: CollectionRecord | null;
}

const json = (v: object | null | undefined): string | null => (v ? JSON.stringify(v) : null);

/**
 * Ends an open task (of one of `from`); undefined when it had already ended (a repeated delivery).
 * `counters`: where the end's counts are written (the transaction's commit, when the caller has one).
 */
export async function finish(
  q: Queryable,
  id: string,
  f: Finish,
  { from = ['SCHEDULED', 'QUEUED', 'RUNNING'], counters = q }: { from?: TaskStatus[]; counters?: Queryable } = {},
): Promise<TaskRow | undefined> {
  const ended = await one(
    q,
    `update task set status = $2, message = coalesce($3, message), error = $4, stats = coalesce($5, stats),
       collection = coalesce($7, collection), progress = case when $2 = 'SUCCEEDED' then 1 else progress end,
       finished_at = now(), version = version + 1, updated_at = now()
     where id = $1 and status = any($6::text[]) returning ${COLUMNS}`,
    [id, f.status, f.message ?? null, f.error ?? null, json(f.stats), from, json(f.collection)],
  );
  // Counted where the end is written (in its transaction when there is one), once per task.
  if (ended) await addToCounters(counters, taskEndIncrements(ended));
  return ended;
}

export interface NewSyncs {
  priority: TaskPriority;
  message?: string | null;
  /** A periodic sync: when its tick was due (one task per storage and due time). */
  scheduledFor?: Date | null;
}

/**
 * Inserts one QUEUED sync per storage in one statement; storages with an open sync keep it
 * (rule 2). Returns the tasks created and the open ones found (a storage whose open sync ended
 * between the two statements is tried again).
 *
 * A periodic tick (`scheduledFor`) is delivered at least once, so its effect is made exactly
 * once here: its task is `periodic`, unique per storage and due time (task_one_per_tick), and a
 * tick that already made its task gets that task back, ended or not, and queues nothing.
 */
export async function insertSyncs(q: Queryable, storageIds: string[], s: NewSyncs): Promise<{ created: TaskRow[]; existing: TaskRow[] }> {
  const created: TaskRow[] = [];
  const existing: TaskRow[] = [];
  const dueAt = s.scheduledFor ?? null;
  // A tick conflicts on either index (its own task, an open sync): no conflict target.
  const onConflict = dueAt ? 'on conflict' : ONE_OPEN_PER_STORAGE;
  let todo = storageIds;
  while (todo.length > 0) {
    const { rows } = await q.query(
      `insert into task (id, kind, status, priority, storage_id, message, scheduled_for, periodic)
       select u.id, 'SYNC_RESOURCES', 'QUEUED', $3, u.storage_id, $4, $5, $5::timestamptz is not null
       from unnest($1::uuid[], $2::uuid[]) as u(id, storage_id)
       ${onConflict}
       do nothing returning ${COLUMNS}`,
      [todo.map(() => newId()), todo, s.priority, s.message ?? null, dueAt],
    );
    created.push(...rows.map(taskFromRow));
    const createdFor = new Set(rows.map((r) => r.storage_id as string));
    const missing = todo.filter((id) => !createdFor.has(id));
    // This tick's own task first (the tick was delivered again), else the open sync.
    const { rows: open } = missing.length
      ? await q.query(
          `select distinct on (storage_id) ${COLUMNS} from task where kind = 'SYNC_RESOURCES' and storage_id = any($1::uuid[])
           and (status in ('QUEUED', 'RUNNING') or (periodic and scheduled_for = $2))
           order by storage_id, (periodic and scheduled_for = $2) is true desc, created_at`,
          [missing, dueAt],
        )
      : { rows: [] };
    existing.push(...open.map(taskFromRow));
    const found = new Set(open.map((r) => r.storage_id as string));
    todo = missing.filter((id) => !found.has(id));
  }
  return { created, existing };
}

/**
 * QUEUED tasks whose message never reached the stream (no bus sequence) and unchanged for
 * `olderThanSeconds`: their maker died between the commit and the publish. Oldest first.
 */
export async function unpublishedQueued(q: Queryable, olderThanSeconds: number, limit: number): Promise<TaskRow[]> {
  const { rows } = await q.query(
    `select ${COLUMNS} from task where status = 'QUEUED' and bus_sequence is null
      and updated_at < now() - make_interval(secs => $1) order by updated_at limit $2`,
    [olderThanSeconds, limit],
  );
  return rows.map(taskFromRow);
}

/**
 * QUEUED tasks the bus acknowledged (a bus sequence) and unchanged for `olderThanSeconds`,
 * oldest first: the relay asks the stream whether their messages are still there.
 */
export async function publishedQueued(q: Queryable, olderThanSeconds: number, limit: number): Promise<TaskRow[]> {
  const { rows } = await q.query(
    `select ${COLUMNS} from task where status = 'QUEUED' and bus_sequence is not null
      and updated_at < now() - make_interval(secs => $1) order by updated_at limit $2`,
    [olderThanSeconds, limit],
  );
  return rows.map(taskFromRow);
}

/**
 * Of `ids`, the tasks whose maker is still publishing them: QUEUED with no bus sequence yet. A
 * task missing from the answer is on the bus, running, ended, or gone (its publish refused).
 */
export async function stillPublishing(q: Queryable, ids: string[]): Promise<{ pending: Set<string>; gone: Set<string> }> {
  const { rows } = await q.query(`select id, status = 'QUEUED' and bus_sequence is null as pending from task where id = any($1::uuid[])`, [ids]);
  const found = new Set(rows.map((r) => r.id as string));
  return { pending: new Set(rows.filter((r) => r.pending).map((r) => r.id as string)), gone: new Set(ids.filter((id) => !found.has(id))) };
}

/** Where each task's message sits on the stream (so a cancel can remove it), in one statement. */
export async function recordBusSequences(q: Queryable, ids: string[], sequences: number[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    'update task t set bus_sequence = u.seq from unnest($1::uuid[], $2::bigint[]) as u(id, seq) where t.id = u.id',
    [ids, sequences],
  );
}

/**
 * A performance poll of one resource type, or the one of that storage and type still queued or
 * running (the partial index task_one_open_collection): ticks that would pile up coalesce.
 */
export async function insertCollection(
  q: Queryable,
  storageId: string,
  resourceType: string,
  priority: TaskPriority,
): Promise<{ task: TaskRow; created: boolean } | undefined> {
  const inserted = await one(
    q,
    `insert into task (id, kind, status, priority, storage_id, resource_type, message)
     select $1, 'COLLECT_PERFORMANCE', 'QUEUED', $4, $2, $3, 'performance poll queued'
     where exists (select 1 from storage where id = $2 and not deleting)
     on conflict (storage_id, resource_type) where kind = 'COLLECT_PERFORMANCE' and status in ('QUEUED', 'RUNNING')
     do nothing returning ${COLUMNS}`,
    [newId(), storageId, resourceType, priority],
  );
  if (inserted) return { task: inserted, created: true };
  const open = await one(
    q,
    `select ${COLUMNS} from task where storage_id = $1 and resource_type = $2 and kind = 'COLLECT_PERFORMANCE'
     and status in ('QUEUED', 'RUNNING') limit 1`,
    [storageId, resourceType],
  );
  return open ? { task: open, created: false } : undefined;
}

/** Asks a RUNNING task to stop at its next step. */
export function requestCancel(q: Queryable, id: string): Promise<TaskRow | undefined> {
  return one(
    q,
    `update task set cancel_requested = true, message = 'cancellation requested', version = version + 1, updated_at = now()
     where id = $1 and status = 'RUNNING' returning ${COLUMNS}`,
    [id],
  );
}

/** Whether the worker should stop: cancel asked, task ended elsewhere, or storage being deleted. */
export async function shouldStop(q: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await q.query(
    `select t.status, t.cancel_requested, s.id is null as storage_gone, coalesce(s.deleting, false) as deleting
     from task t left join storage s on s.id = t.storage_id where t.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return 'the task no longer exists';
  if (r.status !== 'RUNNING') return `the task is ${String(r.status).toLowerCase()}`;
  if (r.storage_gone || r.deleting) return 'the storage is being deleted';
  if (r.cancel_requested) return 'cancelled by request';
  return undefined;
}

/** A task and the version a subscriber last saw of it. */
export interface KnownVersion {
  id: string;
  version: number;
}

/**
 * The rows of `known` tasks now past the version known, whose last change is older than
 * `settledSeconds` (an event still on its way is not overtaken by its row): what an event lost
 * on the way (core NATS keeps nothing) would have told.
 */
export async function findTasksPastVersions(q: Queryable, known: KnownVersion[], settledSeconds: number): Promise<TaskRow[]> {
  if (known.length === 0) return [];
  const { rows } = await q.query(
    `select ${COLUMNS} from task join unnest($1::uuid[], $2::int[]) as k(known_id, known_version) on id = known_id
     where version > known_version and updated_at < now() - make_interval(secs => $3)`,
    [known.map((k) => k.id), known.map((k) => k.version), settledSeconds],
  );
  return rows.map(taskFromRow);
}

/** Tasks changed since `since` (any state), of one storage or of all, oldest change first. */
export async function findTasksChangedSince(q: Queryable, storageId: string | null, since: Date, limit: number): Promise<TaskRow[]> {
  const { rows } = await q.query(
    `select ${COLUMNS} from task where updated_at >= $2 and ($1::uuid is null or storage_id = $1)
     order by updated_at limit $3`,
    [storageId, since, limit],
  );
  return rows.map(taskFromRow);
}

/** Open tasks (scheduled, queued, running), of one storage or of all, oldest first. */
export async function findOpenTasks(q: Queryable, storageId: string | null, limit: number): Promise<TaskRow[]> {
  const { rows } = await q.query(
    `select ${COLUMNS} from task where status in ('SCHEDULED', 'QUEUED', 'RUNNING') and ($1::uuid is null or storage_id = $1)
     order by id limit $2`,
    [storageId, limit],
  );
  return rows.map(taskFromRow);
}

/** Removes tasks a request created and could not queue (the bus refused them). */
export async function deleteTasks(q: Queryable, ids: string[]): Promise<void> {
  if (ids.length > 0) await q.query('delete from task where id = any($1::uuid[])', [ids]);
}

/** A SCHEDULED task that came due → QUEUED; undefined when it is no longer SCHEDULED. */
export function markDueQueued(q: Queryable, id: string): Promise<TaskRow | undefined> {
  return one(
    q,
    `update task set status = 'QUEUED', message = 'due: queued', version = version + 1, updated_at = now()
     where id = $1 and status = 'SCHEDULED' returning ${COLUMNS}`,
    [id],
  );
}

/** A due task the bus refused goes back to SCHEDULED, so the scheduler can try again. */
export async function backToScheduled(q: Queryable, id: string): Promise<void> {
  await q.query(`update task set status = 'SCHEDULED', version = version + 1, updated_at = now() where id = $1 and status = 'QUEUED'`, [id]);
}

/**
 * A RUNNING task handed back (shutdown, lost lease): the run does not count as an attempt.
 * Returns the row (a new version: its event is due), undefined when it was no longer RUNNING.
 */
export function handBack(q: Queryable, id: string, reason: string): Promise<TaskRow | undefined> {
  return one(
    q,
    `update task set attempts = greatest(attempts - 1, 0), message = $2, version = version + 1, updated_at = now()
     where id = $1 and status = 'RUNNING' returning ${COLUMNS}`,
    [id, `handed back: ${reason}`],
  );
}

/** An attempt failed for a passing cause: the reason stays on the task until the next attempt. Returns the row (a new version). */
export function recordAttemptError(q: Queryable, id: string, reason: string): Promise<TaskRow | undefined> {
  return one(q, `update task set error = $2, version = version + 1, updated_at = now() where id = $1 returning ${COLUMNS}`, [id, reason]);
}

/** Ids of a storage's tasks that have not started (scheduled or queued), but its removal. */
export async function findNotStarted(q: Queryable, storageId: string): Promise<string[]> {
  const { rows } = await q.query(
    `select id from task where storage_id = $1 and kind <> 'REMOVE_STORAGE' and status in ('SCHEDULED', 'QUEUED')`,
    [storageId],
  );
  return rows.map((r) => r.id as string);
}

/** A page of tasks (newest first: the id orders by creation), of one storage or of all, in the given states, and a count to run if asked for. */
export async function listTasks(
  q: Queryable,
  filter: { storageId?: string | null; statuses?: readonly TaskStatus[] | null },
  page: { beforeId?: string | null; limit: number },
): Promise<{ rows: TaskRow[]; count: () => Promise<number> }> {
  const where = `($1::uuid is null or storage_id = $1) and ($2::text[] is null or status = any($2::text[]))`;
  const params = [filter.storageId ?? null, filter.statuses ?? null];
  const rows = await q.query(`select ${COLUMNS} from task where ${where} and ($3::uuid is null or id < $3) order by id desc limit $4`, [
    ...params, page.beforeId ?? null, page.limit + 1,
  ]);
  const count = async () => (await q.query(`select count(*)::int as n from task where ${where}`, params)).rows[0]!.n as number;
  return { rows: rows.rows.map(taskFromRow), count };
}

/** Open tasks by kind and status (delfin_tasks): few rows, read through task_status_index. */
export async function countOpenTasks(q: Queryable): Promise<Array<{ kind: TaskKind; status: TaskStatus; count: number }>> {
  const { rows } = await q.query(
    `select kind, status, count(*)::int as count from task where status in ('SCHEDULED', 'QUEUED', 'RUNNING') group by kind, status`,
  );
  return rows as Array<{ kind: TaskKind; status: TaskStatus; count: number }>;
}
