// `delfin driver check`: the conformance kit against a live array, from this machine. It loads
// the drivers a delfin role would (built in, DELFIN_DRIVERS, drivers.packages), talks to the
// array directly (no API, no database) and exits 0 when every check passes, 1 when one fails.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadConfig } from '../config.js';
import type { AccessInfo } from '../drivers/driver.js';
import { loadDriverRegistry } from '../drivers/plugins.js';
import { checkDriver, formatReport } from '../drivers/conformance/index.js';
import { parseJsonObject, parseNonNegativeInt, parsePort } from './arguments.js';
import { printJson } from './output.js';
import { addTlsOptions, tlsOf, type TlsOpts } from './tls-options.js';

interface Endpoint {
  username: string;
  host: string;
  port: number;
}

/** `user@host:port`, as `delfin storage show` prints access. */
export function parseEndpoint(value: string): Endpoint {
  const m = /^([^@\s]+)@([^\s@]+):(\d+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected user@host:port, e.g. admin@10.0.0.5:8443.');
  return { username: m[1]!, host: m[2]!.replace(/^\[(.*)\]$/, '$1'), port: parsePort(m[3]!) };
}

interface CheckOpts extends TlsOpts {
  vendor: string;
  model: string;
  rest?: Endpoint;
  ssh?: Endpoint;
  password?: string;
  passwordStdin?: boolean;
  extra?: Record<string, unknown>;
  timeout?: number;
  json?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function check(opts: CheckOpts): Promise<number> {
  const config = loadConfig();
  const registry = await loadDriverRegistry(config.driverPackages);
  const descriptor = registry.find(opts.vendor, opts.model);
  if (!descriptor) {
    const known = registry.list().map((d) => `${d.vendor}/${d.model}`).join(', ');
    throw new Error(`no driver for vendor "${opts.vendor}" model "${opts.model}" (installed: ${known}); name its package in DELFIN_DRIVERS`);
  }
  const password = opts.passwordStdin ? await readStdin() : (opts.password ?? '');
  const access: AccessInfo = {
    rest: opts.rest ? { ...opts.rest, password, ...tlsOf(opts) } : null,
    ssh: opts.ssh ? { ...opts.ssh, password } : null,
    extraAttributes: opts.extra ?? null,
  };
  const timeoutMs = (opts.timeout ?? config.policy.drivers.callTimeoutSeconds) * 1000;
  const report = await checkDriver(descriptor, access, { timeoutMs });
  if (opts.json) printJson(report);
  else process.stdout.write(formatReport(report));
  return report.passed ? 0 : 1;
}

export function registerDriverCommands(program: Command): Command[] {
  const driver = program.command('driver').description('drivers: check one against a live array');
  addTlsOptions(driver
    .command('check'))
    .description('run every driver call once against an array and check what must hold (unique native ids, used <= total, volumes\' pools exist, stable paging, calls within their timeouts); exit 0 when all pass, 1 when one fails')
    .requiredOption('--vendor <vendor>', 'driver vendor (the simulator: fake_storage)')
    .requiredOption('--model <model>', 'driver model (the simulator: fake_driver)')
    .option('--rest <user@host:port>', 'REST access of the array', parseEndpoint)
    .option('--ssh <user@host:port>', 'SSH access of the array', parseEndpoint)
    .addOption(new Option('--password <password>', 'password (seen by other users in the process list: prefer --password-stdin)').conflicts('passwordStdin'))
    .addOption(new Option('--password-stdin', 'read the password from standard input'))
    .option('--extra <json>', 'extra attributes, a JSON object', parseJsonObject)
    .option('--timeout <seconds>', 'each call must answer within this (default: drivers.callTimeoutSeconds, 120)', (v) => {
      const n = parseNonNegativeInt(v);
      if (n < 1) throw new InvalidArgumentError('expected at least 1 second.');
      return n;
    })
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<CheckOpts>();
      if (!opts.rest && !opts.ssh) cmd.error('error: give the array\'s access with --rest user@host:port (or --ssh)', { exitCode: 2, code: 'delfin.usage' });
      let code: number;
      try {
        code = await check(opts);
      } catch (err) {
        process.stderr.write(`delfin: ${(err as Error).message}\n`);
        code = 1;
      }
      // A call the kit gave up on may still hold a socket or a timer: the report is out, so end here.
      process.exit(code);
    });
  return [driver];
}
