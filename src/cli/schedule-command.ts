// `delfin schedule set <storageId> (--interval <s> | --cron <expr> | --disable)`: a storage's
// periodic sync, through setSyncSchedule.
import { Option, type Command } from 'commander';
import { SetSyncScheduleDocument, type SyncScheduleFieldsFragment, type SyncScheduleInput } from '../client/generated/graphql.js';
import { parseNonNegativeInt } from './arguments.js';
import { withClient } from './client-options.js';
import { printFields, printJson } from './output.js';

interface ScheduleOpts {
  interval?: number;
  cron?: string;
  disable?: boolean;
}

/** Exactly one of the three; anything else is a usage error (exit 2) before any request. */
function toInput(opts: ScheduleOpts): SyncScheduleInput | undefined {
  const given = [opts.interval !== undefined, opts.cron !== undefined, opts.disable === true].filter(Boolean).length;
  if (given !== 1) return undefined;
  if (opts.disable) return { enabled: false };
  return opts.cron !== undefined ? { enabled: true, cron: opts.cron } : { enabled: true, intervalSeconds: opts.interval! };
}

export function scheduleText(s: SyncScheduleFieldsFragment): string {
  const every = s.cron ? `cron "${s.cron}"` : `every ${s.intervalSeconds} s`;
  return s.enabled ? every : `disabled (was ${every})`;
}

export function registerScheduleCommands(program: Command): Command {
  const schedule = program.command('schedule').description("a storage's periodic sync");
  schedule
    .command('set')
    .description('set the periodic sync of a storage: every N seconds, on a cron expression, or disabled (the current one is kept)')
    .argument('<storageId>', 'storage id')
    .addOption(new Option('--interval <seconds>', 'sync every this many seconds (at least the minimum interval, 60 s by default)').argParser(parseNonNegativeInt))
    .addOption(new Option('--cron <expr>', 'sync on a cron expression, e.g. "0 */6 * * *"'))
    .addOption(new Option('--disable', 'stop the periodic sync'))
    .action(async (storageId: string, opts: ScheduleOpts, cmd: Command) => {
      const input = toInput(opts);
      if (!input) cmd.error('error: give exactly one of --interval, --cron or --disable', { exitCode: 2, code: 'delfin.usage' });
      await withClient(cmd, async (client, ctx) => {
        const data = await client.request(SetSyncScheduleDocument, { storageId, schedule: input });
        if (ctx.json) return printJson(data);
        const s = data.setSyncSchedule;
        printFields([
          ['storage', s.storageId],
          ['schedule', scheduleText(s)],
          ['next run', s.enabled ? s.nextRunAt : null],
          ['last run', s.lastRunAt],
        ]);
      });
    });
  return schedule;
}
