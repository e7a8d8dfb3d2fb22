// `delfin alert-source get|set|remove`, `delfin alerts [--storage ID] [--watch]` and
// `delfin alerts clear ID`, through the API (`delfin alerts receive`, the trap receiver role, is
// added by main.ts; `delfin alert list|clear` stay as hidden aliases). The SNMP community and
// keys come from the environment, never the command line, where `ps` shows them.
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  AlertEventsDocument,
  AlertSourceDocument,
  AlertsDocument,
  ClearAlertDocument,
  RemoveAlertSourceDocument,
  SetAlertSourceDocument,
  type AlertFieldsFragment,
  type AlertSourceFieldsFragment,
  type AlertSourceInput,
  type AlertState,
  type SnmpAuthProtocol,
  type SnmpPrivacyProtocol,
} from '../client/generated/graphql.js';
import { withClient } from './client-options.js';
import { printFields, printJson, printLine, printTable } from './output.js';

export const SECRET_ENV = { community: 'DELFIN_SNMP_COMMUNITY', authKey: 'DELFIN_SNMP_AUTH_KEY', privacyKey: 'DELFIN_SNMP_PRIVACY_KEY' } as const;

const upper = (v: string) => v.trim().toUpperCase();

function parseState(value: string): AlertState {
  const s = upper(value);
  if (s !== 'OPEN' && s !== 'CLEARED') throw new InvalidArgumentError('expected open or cleared.');
  return s;
}

function printSource(s: AlertSourceFieldsFragment | null): void {
  if (!s) return printLine('no alert source');
  printFields([['host', s.host], ['version', s.version], ['username', s.username], ['auth protocol', s.authProtocol], ['privacy protocol', s.privacyProtocol], ['engine id', s.engineId]]);
}

export function alertLine(a: AlertFieldsFragment): string[] {
  return [a.id, a.storage.name, a.severity, a.state, a.occurredAt, a.sequenceNumber, a.alertName];
}
const ALERT_HEADERS = ['ID', 'STORAGE', 'SEVERITY', 'STATE', 'OCCURRED', 'SEQUENCE', 'NAME'];

interface SetOptions {
  host: string;
  snmpVersion: 'v2c' | 'v3';
  username?: string;
  authProtocol?: string;
  privacyProtocol?: string;
  engineId?: string;
}

function sourceInput(o: SetOptions): AlertSourceInput {
  const env = (name: string) => process.env[name] || undefined;
  return {
    host: o.host,
    version: o.snmpVersion === 'v3' ? 'V3' : 'V2C',
    community: env(SECRET_ENV.community),
    username: o.username,
    authProtocol: o.authProtocol ? (upper(o.authProtocol) as SnmpAuthProtocol) : undefined,
    authKey: env(SECRET_ENV.authKey),
    privacyProtocol: o.privacyProtocol ? (upper(o.privacyProtocol) as SnmpPrivacyProtocol) : undefined,
    privacyKey: env(SECRET_ENV.privacyKey),
    engineId: o.engineId,
  };
}

export function registerAlertCommands(program: Command): Command[] {
  const source = program.command('alert-source').description("where a storage's SNMP traps come from, and how they are authenticated");
  source
    .command('get')
    .argument('<storageId>', 'storage id')
    .description("a storage's alert source (never its community or keys)")
    .action(async (storageId: string, _o: unknown, c: Command) =>
      withClient(c, async (client, ctx) => {
        const data = await client.request(AlertSourceDocument, { storageId });
        if (ctx.json) return printJson(data.storage?.alertSource ?? null);
        printSource(data.storage?.alertSource ?? null);
      }),
    );
  source
    .command('set')
    .argument('<storageId>', 'storage id')
    .description(`set or replace it; the secrets come from ${SECRET_ENV.community} (v2c), ${SECRET_ENV.authKey} and ${SECRET_ENV.privacyKey} (v3)`)
    .requiredOption('--host <ip>', 'the IP address the traps come from')
    .addOption(new Option('--snmp-version <version>', 'SNMP version').choices(['v2c', 'v3']).default('v2c'))
    .option('--username <name>', 'v3: the USM user')
    .option('--auth-protocol <protocol>', 'v3: MD5, SHA, SHA224, SHA256, SHA384 or SHA512')
    .option('--privacy-protocol <protocol>', 'v3: DES, AES, AES256B or AES256R')
    .option('--engine-id <hex>', "v3: the sender's engine id")
    .action(async (storageId: string, o: SetOptions, c: Command) =>
      withClient(c, async (client, ctx) => {
        const data = await client.request(SetAlertSourceDocument, { storageId, input: sourceInput(o) });
        if (ctx.json) return printJson(data.setAlertSource);
        printSource(data.setAlertSource);
      }),
    );
  source
    .command('remove')
    .argument('<storageId>', 'storage id')
    .description("remove a storage's alert source (its traps are then dropped)")
    .action(async (storageId: string, _o: unknown, c: Command) =>
      withClient(c, async (client, ctx) => {
        const data = await client.request(RemoveAlertSourceDocument, { storageId });
        if (ctx.json) return printJson(data);
        printLine(data.removeAlertSource ? 'alert source removed' : 'the storage had no alert source');
      }),
    );

  const alerts = program
    .command('alerts')
    .description('alerts the arrays raised (SNMP traps and their own listings), newest last; --watch then follows new ones and clears');
  listOptions(alerts).action(listAlerts);
  clearCommand(alerts);
  // The singular names of before, hidden: scripts written for them go on working.
  const alias = program.command('alert', { hidden: true }).description('old name of `delfin alerts`');
  listOptions(alias.command('list').description('as `delfin alerts`')).action(listAlerts);
  clearCommand(alias);
  return [source, alerts, alias];
}

interface ListOptions {
  storage?: string;
  state?: AlertState;
  first: number;
  watch?: boolean;
}

function listOptions(cmd: Command): Command {
  return cmd
    .option('--storage <id>', 'of one storage')
    .option('--state <state>', 'open or cleared', parseState)
    .option('--first <n>', 'at most this many', (v) => Number(v), 50)
    .option('--watch', 'then follow new alerts and clears (alertEvents) until interrupted');
}

async function listAlerts(o: ListOptions, c: Command): Promise<void> {
  await withClient(c, async (client, ctx) => {
    const data = await client.request(AlertsDocument, { storageId: o.storage, state: o.state ? [o.state] : undefined, first: o.first });
    const alerts = data.alerts.edges.map((e) => e.node);
    if (ctx.json && !o.watch) return printJson(data.alerts);
    if (ctx.json) for (const a of alerts) printJson(a);
    else printTable(ALERT_HEADERS, alerts.map(alertLine));
    if (!o.watch) return;
    for await (const e of client.subscribe(AlertEventsDocument, { storageId: o.storage })) {
      if (ctx.json) printJson(e.alertEvents);
      else printLine(alertLine(e.alertEvents).join('  '));
    }
  });
}

function clearCommand(parent: Command): void {
  parent
    .command('clear')
    .argument('<id>', 'alert id')
    .description('clear an alert, on the device too where its driver can (it keeps its clearedAt)')
    .action(async (id: string, _o: unknown, c: Command) =>
      withClient(c, async (client, ctx) => {
        const data = await client.request(ClearAlertDocument, { id });
        if (ctx.json) return printJson(data.clearAlert);
        printLine(`alert ${data.clearAlert.id} cleared at ${data.clearAlert.clearedAt}`);
      }),
    );
}
