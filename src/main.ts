// The `delfin` command: run roles (api, worker, scheduler, alerts receive, all) or operator commands.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError } from './config.js';
import { ServiceUnreachableError } from './lib/service-unreachable.js';
import { DriverPluginError } from './drivers/plugin-error.js';
import type { Role } from './roles.js';
import { registerCliCommands } from './cli/index.js';

const ROLE_HELP: Record<string, string> = {
  api: 'GraphQL over HTTP and WebSocket (port PORT, path /graphql), health at /healthz and /readyz',
  worker: 'pulls tasks from NATS JetStream and runs them through the drivers into PostgreSQL',
  scheduler: 'Agenda: queues periodic syncs and syncs at a given time when they are due (jobs in MongoDB, or PostgreSQL with SCHEDULER_BACKEND=postgres)',
  all: 'every role in one process (development)',
};

async function runRoles(role: string): Promise<void> {
  // Imported here: the operator commands (storage, sync, tasks) start without the server stack.
  const { ALL_ROLES, startRoles } = await import('./roles.js');
  const running = await startRoles(role === 'all' ? ALL_ROLES : [role as Role]);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`delfin: ${signal} received, stopping\n`);
    await running.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function fail(err: unknown): never {
  if (err instanceof ConfigError || err instanceof ServiceUnreachableError || err instanceof DriverPluginError) {
    process.stderr.write(`delfin: ${err.message}\n`);
  } else {
    process.stderr.write(`delfin: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
}

const program = new Command()
  .name('delfin')
  .description('delfin-ts: discover, sync and watch storage arrays (GraphQL API, NATS JetStream workers)');

for (const [role, help] of Object.entries(ROLE_HELP)) {
  program
    .command(role)
    .description(help)
    .action(() => runRoles(role).catch(fail));
}

program
  .command('schema')
  .description('print the GraphQL schema (SDL) generated from the code')
  .addOption(new Option('--write <file>', 'write it to a file instead of standard output'))
  .action(async (opts: { write?: string }) => {
    const { printSchemaSDL } = await import('./api/schema.js');
    const sdl = await printSchemaSDL();
    if (opts.write) writeFileSync(opts.write, sdl);
    else process.stdout.write(sdl);
  });

registerCliCommands(program);

// The trap receiver role: `delfin alerts receive` (`delfin alerts` itself lists alerts).
program.commands
  .find((c) => c.name() === 'alerts')!
  .command('receive')
  .description('the alerts role: takes SNMP traps (UDP DELFIN_TRAP_PORT, default 162, on DELFIN_TRAP_HOST, default HOST), stores and publishes alerts')
  .action(() => runRoles('alerts').catch(fail));
program.parseAsync(process.argv).catch(fail);
