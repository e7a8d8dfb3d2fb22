// `delfin token create` and `delfin token hash`: make bearer tokens and the hashes the policy
// file keeps (auth.tokens). Local commands: they talk to no server.
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { ROLES } from '../auth/roles.js';
import { hashToken, MIN_TOKEN_LENGTH, newToken } from '../auth/tokens.js';
import { printJson, printLine } from './output.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export function registerTokenCommands(program: Command): Command[] {
  const token = program.command('token').description('make bearer tokens for the API and the hashes the policy file keeps');
  token
    .command('create')
    .description('print a new random token, its hash and its policy-file entry (give the token to its user; keep only the entry)')
    .addOption(new Option('--role <role>', 'its role').choices(ROLES).default('viewer'))
    .option('--name <name>', 'its name in the policy file and in logs', 'token')
    .action((_opts: unknown, cmd: Command) => {
      // --json is the program's global option: one document { token, hash, entry }.
      const opts = cmd.optsWithGlobals<{ role: string; name: string; json?: boolean }>();
      const value = newToken();
      const entry = { name: opts.name, role: opts.role, hash: hashToken(value) };
      if (opts.json) return printJson({ token: value, hash: entry.hash, entry });
      printLine(`token: ${value}`);
      printLine(`hash:  ${entry.hash}`);
      printLine('');
      printLine('# policy file (DELFIN_CONFIG), under auth.tokens:');
      printLine(stringify([entry]).trimEnd());
      printLine(`# or in the environment: DELFIN_TOKENS="${opts.role}:<token>"`);
    });
  token
    .command('hash')
    .description('read a token on standard input and print its hash (sha256:<hex>) for auth.tokens')
    .action(async (_opts: unknown, cmd: Command) => {
      const value = await readStdin();
      if (value.length < MIN_TOKEN_LENGTH) {
        // A usage error like the others: `error: ...` and exit 2.
        cmd.error(`error: a token has at least ${MIN_TOKEN_LENGTH} characters; give it on standard input (printf %s "$TOKEN" | delfin token hash)`, { exitCode: 2, code: 'delfin.usage' });
      }
      printLine(hashToken(value));
    });
  return [token];
}
