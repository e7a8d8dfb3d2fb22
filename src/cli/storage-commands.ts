// `delfin storage register|list|show|delete`: storages through the API.
import { Option, type Command } from 'commander';
import {
  DeleteStorageDocument,
  RegisterStorageDocument,
  StorageDocument,
  StoragesDocument,
  type AccessInfoFieldsFragment,
  type RegisterStorageInput,
  type StorageFieldsFragment,
} from '../client/generated/graphql.js';
import { parseJsonObject, parseNonNegativeInt, parsePort } from './arguments.js';
import { withClient } from './client-options.js';
import { CliError, formatBytes, printFields, printIds, printJson, printLine, printTable, QUIET_DESCRIPTION } from './output.js';
import { printTaskQueued } from './task-commands.js';
import { reportEnds, watchTasks } from './watch.js';
import { addTlsOptions, tlsOf, type TlsOpts } from './tls-options.js';

interface RegisterOpts extends TlsOpts {
  vendor: string;
  model: string;
  host: string;
  port: number;
  username: string;
  password?: string;
  passwordStdin?: boolean;
  name?: string;
  description?: string;
  extra?: Record<string, unknown>;
  quiet?: boolean;
}

/** The whole of standard input, without its final line break. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function accessLines(access: AccessInfoFieldsFragment): Array<[string, string | null]> {
  return [
    ['rest access', access.rest ? `${access.rest.username}@${access.rest.host}:${access.rest.port}` : null],
    ['ssh access', access.ssh ? `${access.ssh.username}@${access.ssh.host}:${access.ssh.port}` : null],
    ['extra attributes', access.extraAttributes && Object.keys(access.extraAttributes).length ? JSON.stringify(access.extraAttributes) : null],
  ];
}

function storageLines(s: StorageFieldsFragment): Array<[string, string | null]> {
  return [
    ['id', s.id],
    ['name', s.name],
    ['description', s.description],
    ['vendor / model', `${s.vendor} / ${s.model}`],
    ['serial number', s.serialNumber],
    ['firmware', s.firmwareVersion],
    ['location', s.location],
    ['status', s.status],
    ['sync state', s.syncState],
    ['last synced', s.lastSyncedAt ?? 'never'],
    ['capacity', `${formatBytes(s.totalCapacity)} total, ${formatBytes(s.usedCapacity)} used, ${formatBytes(s.freeCapacity)} free`],
    ['raw capacity', s.rawCapacity == null ? null : formatBytes(s.rawCapacity)],
    ['subscribed', s.subscribedCapacity == null ? null : formatBytes(s.subscribedCapacity)],
    ['registered', s.createdAt],
  ];
}

export function registerStorageCommands(program: Command): Command {
  const storage = program.command('storage').description('register, list, show and delete storage arrays');

  addTlsOptions(storage
    .command('register'))
    .description('register an array: checks it through its driver, stores the password encrypted, queues the first sync')
    .requiredOption('--vendor <vendor>', 'driver vendor (the simulator: fake_storage)')
    .requiredOption('--model <model>', 'driver model (the simulator: fake_driver)')
    .requiredOption('--host <host>', 'REST address of the array')
    .requiredOption('--port <port>', 'REST port', parsePort)
    .requiredOption('--username <username>', 'REST user')
    .addOption(new Option('--password <password>', 'REST password (seen by other users in the process list: prefer --password-stdin)').conflicts('passwordStdin'))
    .addOption(new Option('--password-stdin', 'read the REST password from standard input'))
    .option('--name <name>', 'a name (default: the name the array reports)')
    .option('--description <text>', 'a description')
    .option('--extra <json>', 'driver settings, a JSON object (the simulator: \'{"pools": 5, "volumes": 2000, "latencyMs": 200}\')', parseJsonObject)
    .option('-q, --quiet', 'print only the new storage\'s id')
    .action(async (opts: RegisterOpts, cmd: Command) => {
      if (opts.password === undefined && !opts.passwordStdin) cmd.error('error: give the password with --password-stdin (or --password)', { exitCode: 2, code: 'delfin.usage' });
      if (opts.passwordStdin && process.stdin.isTTY) {
        cmd.error('error: --password-stdin reads the password from a pipe, e.g. `printf %s "$PASSWORD" | delfin storage register ... --password-stdin`', { exitCode: 2, code: 'delfin.usage' });
      }
      await withClient(cmd, async (client, ctx) => {
        const password = opts.passwordStdin ? await readStdin() : opts.password!;
        if (!password) throw new CliError('BAD_USER_INPUT', 'the password is empty.');
        const input: RegisterStorageInput = {
          vendor: opts.vendor,
          model: opts.model,
          rest: { host: opts.host, port: opts.port, username: opts.username, password, ...tlsOf(opts) },
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.extra !== undefined ? { extraAttributes: opts.extra } : {}),
        };
        const data = await client.request(RegisterStorageDocument, { input });
        if (opts.quiet) return printIds([data.registerStorage.id]);
        if (ctx.json) return printJson(data);
        const s = data.registerStorage;
        printFields([...storageLines(s), ...accessLines(s.accessInfo)]);
        printLine(`first sync queued: \`delfin tasks --storage ${s.id}\`, or \`delfin sync ${s.id} --watch\` to follow it`);
      });
    });

  storage
    .command('list')
    .description('storages, oldest first')
    .option('--first <n>', 'at most this many (the API allows 1000)', parseNonNegativeInt, 50)
    .option('--after <cursor>', 'the page after this cursor (the endCursor of the previous page)')
    .option('--name-contains <text>', 'only storages whose name contains this')
    .option('--vendor <vendor>', 'only this vendor')
    .option('--model <model>', 'only this model')
    .option('-q, --quiet', QUIET_DESCRIPTION)
    .action(async (opts: { first: number; after?: string; nameContains?: string; vendor?: string; model?: string; quiet?: boolean }, cmd: Command) => {
      await withClient(cmd, async (client, ctx) => {
        const filter = {
          ...(opts.nameContains !== undefined ? { nameContains: opts.nameContains } : {}),
          ...(opts.vendor !== undefined ? { vendor: opts.vendor } : {}),
          ...(opts.model !== undefined ? { model: opts.model } : {}),
        };
        const data = await client.request(StoragesDocument, {
          first: opts.first,
          ...(opts.after ? { after: opts.after } : {}),
          ...(Object.keys(filter).length ? { filter } : {}),
        });
        if (opts.quiet) return printIds(data.storages.edges.map((e) => e.node.id));
        if (ctx.json) return printJson(data);
        const { edges, totalCount, pageInfo } = data.storages;
        if (totalCount === 0) return printLine('no storage registered');
        printTable(
          ['ID', 'NAME', 'VENDOR/MODEL', 'STATUS', 'SYNC', 'TOTAL', 'USED', 'LAST SYNCED'],
          edges.map(({ node: s }) => [s.id, s.name, `${s.vendor}/${s.model}`, s.status, s.syncState, formatBytes(s.totalCapacity), formatBytes(s.usedCapacity), s.lastSyncedAt ?? 'never']),
        );
        if (pageInfo.hasNextPage) printLine(`${edges.length} of ${totalCount}; next page: --after ${pageInfo.endCursor}`);
      });
    });

  storage
    .command('show')
    .description('one storage: state, capacity, pool and volume counts, access info (never the password)')
    .argument('<id>', 'storage id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withClient(cmd, async (client, ctx) => {
        const data = await client.request(StorageDocument, { id, poolsFirst: 0, volumesFirst: 0 });
        if (!data.storage) throw new CliError('NOT_FOUND', `No storage has the id ${id}.`);
        if (ctx.json) return printJson(data);
        const s = data.storage;
        printFields([...storageLines(s), ['pools', s.pools.totalCount], ['volumes', s.volumes.totalCount], ...accessLines(s.accessInfo)]);
      });
    });

  storage
    .command('delete')
    .description('remove a storage and everything synced from it (queued tasks are cancelled, a running sync stops)')
    .argument('<id>', 'storage id')
    .option('--watch', 'follow the removal until it ends')
    .addOption(new Option('-q, --quiet', 'print only the removal task\'s id').conflicts('watch'))
    .action(async (id: string, opts: { watch?: boolean; quiet?: boolean }, cmd: Command) => {
      await withClient(cmd, async (client, ctx) => {
        const data = await client.request(DeleteStorageDocument, { id });
        if (opts.watch) return reportEnds(await watchTasks(client, [data.deleteStorage], ctx), ctx);
        if (opts.quiet) return printIds([data.deleteStorage.id]);
        if (ctx.json) return printJson(data);
        printTaskQueued('removal', data.deleteStorage);
      });
    });

  return storage;
}
