// The options every operator command shares (the endpoint, the token, --json) and how a command
// gets its typed client: `withClient(cmd, async (client, ctx) => ...)` opens it, reports any
// error as `delfin: <message> (<code>)` with exit 1, and closes it.
import { Option, type Command } from 'commander';
import { createDelfinClient, type DelfinClient } from '../client/client.js';
import { reportError } from './output.js';

export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';

export interface CliContext {
  url: string;
  json: boolean;
}

interface GlobalOpts {
  url?: string;
  token?: string;
  json?: boolean;
}

/** --url, --token, --json on the program: accepted before or after the command's name. */
export function addClientOptions(program: Command): void {
  program
    .addOption(new Option('--url <url>', 'GraphQL endpoint of the delfin API (operator commands)').env('DELFIN_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'sent as a bearer token (operator commands)').env('DELFIN_TOKEN'))
    .addOption(new Option('--json', 'machine-readable output: one JSON document, or one JSON event per line with --watch'));
}

export function contextOf(cmd: Command): CliContext & { token?: string } {
  const opts = cmd.optsWithGlobals<GlobalOpts>();
  return { url: opts.url ?? DEFAULT_URL, json: opts.json === true, ...(opts.token ? { token: opts.token } : {}) };
}

/** Runs `fn` with a client for the command's endpoint; errors end as one line on stderr, exit 1. */
export async function withClient(cmd: Command, fn: (client: DelfinClient, ctx: CliContext) => Promise<void>): Promise<void> {
  const ctx = contextOf(cmd);
  // `delfin ... | head`: a reader that went away ends the command quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  let client: DelfinClient | undefined;
  try {
    new URL(ctx.url);
    client = createDelfinClient({ url: ctx.url, ...(ctx.token ? { token: ctx.token } : {}) });
    await fn(client, { url: ctx.url, json: ctx.json });
  } catch (err) {
    reportError(err, ctx.url);
  } finally {
    await client?.close().catch(() => undefined);
  }
}
