// The operator commands of `delfin` (storage, sync, schedule, tasks, task, metrics-config), over the typed GraphQL client.
// main.ts calls registerCliCommands(program) before parsing.
import type { Command, CommanderError } from 'commander';
import { addClientOptions } from './client-options.js';
import { registerScheduleCommands } from './schedule-command.js';
import { registerStorageCommands } from './storage-commands.js';
import { registerSyncCommand } from './sync-command.js';
import { registerTaskCommands } from './task-commands.js';
import { registerMetricsConfigCommands } from './metrics-config-commands.js';
import { registerSecretsCommand } from './secrets-command.js';
import { registerTokenCommands } from './token-commands.js';
import { registerDriverCommands } from './driver-check-command.js';
import { registerAlertCommands } from './alert-commands.js';
import { registerApplyCommand } from './apply-command.js';

/** Help and version exit 0; any other commander exit (a usage error) exits 2. */
function usageExit(err: CommanderError): never {
  const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0;
  process.exit(ok ? 0 : 2);
}

/** Usage errors exit 2; help lists the global options (--url, --token, --json) too. */
function configure(cmd: Command): void {
  cmd.exitOverride(usageExit).configureHelp({ showGlobalOptions: true });
  for (const sub of cmd.commands) configure(sub);
}

export function registerCliCommands(program: Command): void {
  addClientOptions(program);
  const commands = [
    registerStorageCommands(program),
    registerSyncCommand(program),
    registerScheduleCommands(program),
    ...registerTaskCommands(program),
    registerMetricsConfigCommands(program),
    ...registerTokenCommands(program),
    ...registerSecretsCommand(program),
    ...registerDriverCommands(program),
    ...registerAlertCommands(program),
    registerApplyCommand(program),
  ];
  for (const cmd of commands) configure(cmd);
  program.addHelpText(
    'after',
    '\nOperator commands talk to the API at --url (env DELFIN_URL, default http://127.0.0.1:4000/graphql);\n' +
      'errors print `delfin: <message> (<code>)` and exit 1, usage errors exit 2.',
  );
}
