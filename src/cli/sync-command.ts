// `delfin sync <storageId> [--priority P] [--watch]` and `delfin sync --all`: queue syncs and,
// with --watch, follow them to the end (progress bar, then the SyncStats or the error).
import { Option, type Command } from 'commander';
import { SyncAllStoragesDocument, SyncStorageDocument, type TaskPriority } from '../client/generated/graphql.js';
import { parsePriority, PRIORITIES } from './arguments.js';
import { withClient } from './client-options.js';
import { printIds, printJson, printLine, printTable } from './output.js';
import { printTaskQueued } from './task-commands.js';
import { reportEnds, watchTasks } from './watch.js';

interface SyncOpts {
  all?: boolean;
  priority?: TaskPriority;
  watch?: boolean;
  quiet?: boolean;
}

export function registerSyncCommand(program: Command): Command {
  return program
    .command('sync')
    .description('queue a sync of one storage (or of every storage with --all); a storage with a sync already queued or running gets that task back')
    .argument('[storageId]', 'storage id')
    .option('--all', 'sync every storage')
    .option('--priority <priority>', `${PRIORITIES.join(', ')} (default NORMAL)`, parsePriority)
    .option('--watch', 'follow the sync: a progress bar (one line per event when not on a terminal), then the SyncStats; exit 1 when it FAILED or was CANCELLED')
    .addOption(new Option('-q, --quiet', 'print only the task id (one per line with --all)').conflicts('watch'))
    .action(async (storageId: string | undefined, opts: SyncOpts, cmd: Command) => {
      if (!storageId === !opts.all) cmd.error('error: give a storage id or --all (not both)', { exitCode: 2, code: 'delfin.usage' });
      const options = opts.priority ? { options: { priority: opts.priority } } : {};
      await withClient(cmd, async (client, ctx) => {
        if (storageId) {
          const data = await client.request(SyncStorageDocument, { id: storageId, ...options });
          if (opts.watch) return reportEnds(await watchTasks(client, [data.syncStorage], ctx), ctx);
          if (opts.quiet) return printIds([data.syncStorage.id]);
          if (ctx.json) return printJson(data);
          return printTaskQueued('sync', data.syncStorage);
        }
        const data = await client.request(SyncAllStoragesDocument, options);
        const tasks = data.syncAllStorages;
        if (opts.watch && tasks.length > 0) return reportEnds(await watchTasks(client, tasks, ctx), ctx);
        if (opts.quiet) return printIds(tasks.map((t) => t.id));
        if (ctx.json) return printJson(data);
        if (tasks.length === 0) return printLine('no storage registered');
        printLine(`${tasks.length} sync${tasks.length === 1 ? '' : 's'} queued or already running`);
        printTable(
          ['TASK', 'STORAGE', 'STATUS', 'PRIORITY'],
          tasks.map((t) => [t.id, t.storageId, t.status, t.priority]),
        );
      });
    });
}
