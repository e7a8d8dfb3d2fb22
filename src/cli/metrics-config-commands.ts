// `delfin metrics-config get|set`: how a storage's array, pools, volumes, disks, controllers and
// ports are polled for
// performance, through the API.
import { InvalidArgumentError, type Command } from 'commander';
import {
  MetricsConfigDocument,
  UpdateMetricsConfigDocument,
  type MetricsConfigFieldsFragment,
  type MetricsConfigInput,
  type PollingFieldsFragment,
} from '../client/generated/graphql.js';
import { parseNonNegativeInt } from './arguments.js';
import { withClient } from './client-options.js';
import { printJson, printLine, printTable } from './output.js';

/** The names people use for the pollings, and the contract's fields. */
const POLLINGS = {
  array: 'arrayPolling',
  pool: 'poolPolling',
  volume: 'volumePolling',
  disk: 'diskPolling',
  controller: 'controllerPolling',
  port: 'portPolling',
} as const;
type Resource = keyof typeof POLLINGS;

function parseResources(value: string, previous: Resource[] = []): Resource[] {
  const given = value.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
  for (const g of given) if (!(g in POLLINGS)) throw new InvalidArgumentError(`expected one of ${Object.keys(POLLINGS).join(', ')}; got ${g}.`);
  return [...new Set([...previous, ...(given as Resource[])])];
}

function printConfig(c: MetricsConfigFieldsFragment): void {
  printTable(
    ['RESOURCE', 'COLLECTION', 'INTERVAL', 'HISTORIC'],
    (Object.keys(POLLINGS) as Resource[]).map((r) => {
      const p: PollingFieldsFragment = c[POLLINGS[r]];
      return [r, p.perfCollection ? 'on' : 'off', `${p.interval}s`, p.isHistoric ? 'yes' : 'no'];
    }),
  );
}

interface SetOptions {
  on?: boolean;
  interval?: number;
  historic?: boolean;
}

export function registerMetricsConfigCommands(program: Command): Command {
  const cmd = program.command('metrics-config').description("a storage's performance polling (array, pools, volumes, disks, controllers, ports)");

  cmd
    .command('get')
    .description('how each resource type of a storage is polled')
    .argument('<storageId>', 'storage id')
    .action(async (storageId: string, _opts: unknown, c: Command) => {
      await withClient(c, async (client, ctx) => {
        const data = await client.request(MetricsConfigDocument, { storageId });
        if (ctx.json) return printJson(data);
        printConfig(data.metricsConfig);
      });
    });

  cmd
    .command('set')
    .description('change the polling of some resource types; what is not given stays as it is')
    .argument('<storageId>', 'storage id')
    .argument('<resources>', 'array, pool, volume, disk, controller, port (comma-separated)', parseResources)
    .option('--on', 'collect performance')
    .option('--off', 'stop collecting')
    .option('--interval <seconds>', 'seconds between polls (the policy bounds apply: 300 to 86400 by default)', parseNonNegativeInt)
    .option('--historic', 'after downtime, back-fill the missed windows')
    .option('--no-historic', 'after downtime, only the latest window')
    .action(async (storageId: string, resources: Resource[], opts: SetOptions & { off?: boolean }, c: Command) => {
      if (opts.on && opts.off) throw new InvalidArgumentError('give --on or --off, not both.');
      await withClient(c, async (client, ctx) => {
        const { metricsConfig: current } = await client.request(MetricsConfigDocument, { storageId });
        const input: MetricsConfigInput = {};
        for (const r of resources) {
          const was = current[POLLINGS[r]];
          input[POLLINGS[r]] = {
            perfCollection: opts.on ? true : opts.off ? false : was.perfCollection,
            interval: opts.interval ?? was.interval,
            isHistoric: opts.historic ?? was.isHistoric,
          };
        }
        const data = await client.request(UpdateMetricsConfigDocument, { storageId, input });
        if (ctx.json) return printJson(data);
        printConfig(data.updateMetricsConfig);
        printLine(`metrics-config of storage ${storageId} updated`);
      });
    });

  return cmd;
}
