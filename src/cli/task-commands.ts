// `delfin tasks`, `delfin task show|cancel`: tasks through the API.
import { Option, type Command } from 'commander';
import { CancelTaskDocument, TaskDocument, TasksDocument, type TaskFieldsFragment, type TaskStatus } from '../client/generated/graphql.js';
import { parseNonNegativeInt, parseStatuses, TASK_STATUSES } from './arguments.js';
import { withClient } from './client-options.js';
import { CliError, formatPercent, printFields, printIds, printJson, printLine, printTable, QUIET_DESCRIPTION } from './output.js';
import { statsText } from './watch.js';

/** What a mutation that returns a task says to people: the task's id and state. */
export function printTaskQueued(what: string, task: TaskFieldsFragment): void {
  const state = task.status === 'QUEUED' ? 'queued' : `already ${task.status}`;
  printLine(`${what} ${state}: task ${task.id} (storage ${task.storageId}, priority ${task.priority})`);
}

function taskLines(t: TaskFieldsFragment): Array<[string, string | number | null]> {
  return [
    ['id', t.id],
    ['kind', t.kind],
    ['status', t.status],
    ['priority', t.priority],
    ['storage', t.storageId],
    ['progress', `${formatPercent(t.progress)}${t.phase ? ` (${t.phase})` : ''}`],
    ['message', t.message],
    ['error', t.error],
    ['attempts', t.attempts],
    ['scheduled for', t.scheduledFor],
    ['created', t.createdAt],
    ['started', t.startedAt],
    ['finished', t.finishedAt],
    ['stats', t.stats ? statsText(t.stats) : null],
    ['resource type', t.resourceType ?? null],
    ['collection', t.collection ? collectionText(t.collection) : null],
  ];
}

function collectionText(c: NonNullable<TaskFieldsFragment['collection']>): string {
  const lost = c.lostWindows.map((w) => `\n  lost ${w.start} .. ${w.end}: ${w.reason}`).join('');
  const retried = (c.retriedWindows ?? []).map((w) => `\n  to retry ${w.start} .. ${w.end} (tried ${w.tries}, next ${w.nextTryAt ?? 'with the next reading'}): ${w.reason}`).join('');
  const recovered = (c.recoveredWindows ?? []).map((w) => `\n  recovered ${w.start} .. ${w.end} (tried ${w.tries})`).join('');
  const resets = (c.counterResets ?? []).map((r) => `\n  counter reset ${r.resourceId} ${r.start} .. ${r.end}: ${r.counters.join(', ')}`).join('');
  const skipped = c.skipped ? `\n  skipped ${c.skipped.start} .. ${c.skipped.end}: ${c.skipped.reason}` : '';
  return `${c.samples} samples in ${c.windowsCollected} of ${c.windowsPlanned} windows, ${c.retries} retries (${c.collectedFrom ?? '-'} .. ${c.collectedUntil ?? '-'})${recovered}${retried}${lost}${resets}${skipped}`;
}

export function registerTaskCommands(program: Command): Command[] {
  const tasks = program
    .command('tasks')
    .description('tasks, newest first')
    .option('--storage <id>', 'only the tasks of this storage')
    .addOption(new Option('--status <status...>', `only these states (${TASK_STATUSES.join(', ')}; repeatable or comma-separated)`).argParser(parseStatuses))
    .option('--first <n>', 'at most this many (the API allows 1000)', parseNonNegativeInt, 50)
    .option('--after <cursor>', 'the page after this cursor (the endCursor of the previous page)')
    .option('-q, --quiet', QUIET_DESCRIPTION)
    .action(async (opts: { storage?: string; status?: TaskStatus[]; first: number; after?: string; quiet?: boolean }, cmd: Command) => {
      await withClient(cmd, async (client, ctx) => {
        const data = await client.request(TasksDocument, {
          first: opts.first,
          ...(opts.storage ? { storageId: opts.storage } : {}),
          ...(opts.status?.length ? { status: opts.status } : {}),
          ...(opts.after ? { after: opts.after } : {}),
        });
        if (opts.quiet) return printIds(data.tasks.edges.map((e) => e.node.id));
        if (ctx.json) return printJson(data);
        const { edges, totalCount, pageInfo } = data.tasks;
        if (totalCount === 0) return printLine('no task');
        printTable(
          ['ID', 'KIND', 'STATUS', 'PRIORITY', 'PROGRESS', 'STORAGE', 'CREATED', 'MESSAGE'],
          edges.map(({ node: t }) => [t.id, t.kind, t.status, t.priority, formatPercent(t.progress), t.storageId, t.createdAt, t.error ?? t.message ?? '']),
        );
        if (pageInfo.hasNextPage) printLine(`${edges.length} of ${totalCount}; next page: --after ${pageInfo.endCursor}`);
      });
    });

  const task = program.command('task').description('show or cancel one task');

  task
    .command('show')
    .description('one task: state, progress, error, SyncStats')
    .argument('<id>', 'task id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withClient(cmd, async (client, ctx) => {
        const data = await client.request(TaskDocument, { id });
        if (!data.task) throw new CliError('NOT_FOUND', `No task has the id ${id}.`);
        if (ctx.json) return printJson(data);
        printFields(taskLines(data.task));
      });
    });

  task
    .command('cancel')
    .description('cancel a task: a queued one ends CANCELLED at once, a running one at its next step; an ended one is a CONFLICT')
    .argument('<id>', 'task id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withClient(cmd, async (client, ctx) => {
        const data = await client.request(CancelTaskDocument, { id });
        if (ctx.json) return printJson(data);
        const t = data.cancelTask;
        printLine(
          t.status === 'CANCELLED'
            ? `task ${t.id} cancelled`
            : `task ${t.id} is ${t.status}: it stops at its next step and ends CANCELLED (\`delfin task show ${t.id}\`)`,
        );
      });
    });

  return [tasks, task];
}
