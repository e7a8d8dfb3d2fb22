// `--watch`: follows tasks through the `taskEvents` subscription (one `taskId` subscription per
// task: it starts with the task's current state, so nothing is missed when a task ends before
// the subscription begins, and completes after the task's end), draws the progress bar (or one
// line per event, or one JSON event per line with --json), then reports how the tasks ended:
// the SyncStats, or the error on stderr with exit code 1 when a task FAILED or was CANCELLED.
import type { DelfinClient } from '../client/client.js';
import {
  TaskDocument,
  TaskEventsDocument,
  type SyncStatsFieldsFragment,
  type TaskEventsSubscription,
  type TaskFieldsFragment,
} from '../client/generated/graphql.js';
import type { CliContext } from './client-options.js';
import { formatPercent, printJson, printLine } from './output.js';
import { ProgressBar } from './progress.js';

type Task = TaskFieldsFragment;
type TaskEvent = TaskEventsSubscription['taskEvents'];

const ENDED: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
export const hasEnded = (task: Pick<Task, 'status'>): boolean => ENDED.has(task.status);

/** One event as a log line: `<at> <TYPE> <pct> <phase> <message>` (the storage too when several tasks are followed). */
export function eventLine(e: TaskEvent, withStorage = false): string {
  const { task } = e;
  const parts = [e.at, ...(withStorage ? [task.storageId] : []), e.type.padEnd(9), formatPercent(task.progress).padStart(4), task.phase ?? '-', task.message ?? ''];
  return `${parts.join(' ').trimEnd()}${task.error ? ` error: ${task.error}` : ''}`;
}

export function statsText(s: SyncStatsFieldsFragment): string {
  return (
    `pools ${s.poolsAdded} added, ${s.poolsUpdated} updated, ${s.poolsDeleted} deleted; volumes ${s.volumesAdded} added, ${s.volumesUpdated} updated, ${s.volumesDeleted} deleted` +
    HARDWARE.map((k) => [k, s[`${k}Added`], s[`${k}Updated`], s[`${k}Deleted`]] as const)
      .filter(([, a, u, d]) => a + u + d > 0) // most syncs change no hardware: said only when they do
      .map(([k, a, u, d]) => `; ${k} ${a} added, ${u} updated, ${d} deleted`)
      .join('')
  );
}

const HARDWARE = ['disks', 'controllers', 'ports'] as const;

type StatKey = keyof SyncStatsFieldsFragment & `${string}${'Added' | 'Updated' | 'Deleted'}`;

const STAT_KEYS = [
  'poolsAdded', 'poolsUpdated', 'poolsDeleted', 'volumesAdded', 'volumesUpdated', 'volumesDeleted',
  ...HARDWARE.flatMap((k) => [`${k}Added`, `${k}Updated`, `${k}Deleted`] as const),
] as const satisfies ReadonlyArray<StatKey>;

/** Every count of the tasks' stats, summed. */
function sumStats(stats: Array<SyncStatsFieldsFragment | null | undefined>): SyncStatsFieldsFragment {
  const total = Object.fromEntries(STAT_KEYS.map((k) => [k, 0])) as Record<StatKey, number>;
  for (const s of stats) if (s) for (const k of STAT_KEYS) total[k] += s[k];
  return total as SyncStatsFieldsFragment;
}

function duration(task: Task): string {
  if (!task.startedAt || !task.finishedAt) return '';
  const ms = Date.parse(task.finishedAt) - Date.parse(task.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ` in ${(ms / 1000).toFixed(1)} s` : '';
}

/** The event type that stands for a task's state (as the server's initial state does). */
function typeOfState(status: Task['status']): TaskEvent['type'] {
  return status === 'RUNNING' ? 'PROGRESS' : status;
}

/** Follows the tasks to their end; returns their final states (in the order given). */
export async function watchTasks(client: DelfinClient, tasks: readonly Task[], ctx: CliContext): Promise<Task[]> {
  const bar = new ProgressBar();
  const several = tasks.length > 1;
  const latest = new Map<string, Task>(tasks.map((t) => [t.id, t]));

  const draw = (e: TaskEvent) => {
    if (ctx.json) return printJson(e);
    const line = eventLine(e, several);
    if (!several) return bar.update(e.task.progress, `${e.task.phase ?? e.task.status.toLowerCase()} ${e.task.message ?? ''}`.trim(), line);
    const all = [...latest.values()];
    const ended = all.filter(hasEnded);
    const failed = ended.filter((t) => t.status !== 'SUCCEEDED').length;
    const progress = all.reduce((sum, t) => sum + (hasEnded(t) ? 1 : t.progress), 0) / all.length;
    if (bar.tty && hasEnded(e.task) && e.task.status !== 'SUCCEEDED') bar.log(line);
    bar.update(progress, `${ended.length} of ${all.length} tasks ended${failed ? `, ${failed} failed or cancelled` : ''}`, line);
  };

  // Events older than (or as old as) what is shown already are dropped: the subscription starts
  // with the task's current state, which the mutation's answer may have shown already.
  const shown = new Map<string, number>();
  const onEvent = (e: TaskEvent) => {
    if ((shown.get(e.task.id) ?? -1) >= e.task.version) return;
    shown.set(e.task.id, e.task.version);
    latest.set(e.task.id, e.task);
    draw(e);
  };
  // The state the mutation answered with is the first line (e.g. QUEUED).
  for (const t of tasks) onEvent({ type: typeOfState(t.status), at: t.updatedAt, task: t });

  const stopWatching = () => {
    bar.end();
    process.stderr.write(`delfin: stopped watching; the task${several ? 's go' : ' goes'} on (\`delfin task show <id>\`)\n`);
    process.exit(130);
  };
  process.once('SIGINT', stopWatching);
  try {
    await Promise.all(
      tasks.map(async (t) => {
        for await (const { taskEvents } of client.subscribe(TaskEventsDocument, { taskId: t.id })) {
          onEvent(taskEvents);
          if (hasEnded(taskEvents.task)) break;
        }
      }),
    );
  } finally {
    process.removeListener('SIGINT', stopWatching);
    bar.end();
  }

  // The stream ended without a final event (e.g. the connection dropped): ask for the end state;
  // a sync that succeeded without its stats in the event gets them from the task.
  const final: Task[] = [];
  for (const t of tasks) {
    let task = latest.get(t.id)!;
    if (!hasEnded(task) || (task.status === 'SUCCEEDED' && task.kind === 'SYNC_RESOURCES' && !task.stats)) {
      task = (await client.request(TaskDocument, { id: t.id })).task ?? task;
    }
    if (!hasEnded(task)) throw new Error(`the event stream of task ${task.id} ended while the task is ${task.status}`);
    final.push(task);
  }
  return final;
}

/** After watchTasks: the end of each task for people (stdout), errors on stderr; exit code 1 unless all SUCCEEDED. */
export function reportEnds(final: readonly Task[], ctx: CliContext): void {
  for (const task of final) {
    if (task.status === 'FAILED') {
      process.stderr.write(`delfin: task ${task.id} (${task.kind} of storage ${task.storageId}) failed: ${task.error ?? task.message ?? 'no reason given'} (TASK_FAILED)\n`);
    } else if (task.status === 'CANCELLED') {
      process.stderr.write(`delfin: task ${task.id} (${task.kind} of storage ${task.storageId}) was cancelled${task.message ? `: ${task.message}` : ''} (TASK_CANCELLED)\n`);
    }
  }
  if (final.some((t) => t.status !== 'SUCCEEDED')) process.exitCode = 1;
  if (ctx.json) return;
  if (final.length === 1) {
    const [task] = final as [Task];
    if (task.status !== 'SUCCEEDED') return;
    printLine(task.stats ? `synced${duration(task)}: ${statsText(task.stats)}` : `done${duration(task)}${task.message ? `: ${task.message}` : ''}`);
    return;
  }
  const count = (status: string) => final.filter((t) => t.status === status).length;
  const total = sumStats(final.map((t) => t.stats));
  printLine(`${final.length} tasks: ${count('SUCCEEDED')} succeeded, ${count('FAILED')} failed, ${count('CANCELLED')} cancelled; ${statsText(total)}`);
}
