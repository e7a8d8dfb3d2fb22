// `delfin secrets rotate`: re-encrypts every stored password under a new key, straight in the
// database (DATABASE_URL). The old key is DELFIN_SECRET_KEY (or the development key file); the
// new one comes from DELFIN_NEW_SECRET_KEY or --new-key-file, never from the command line,
// where other users of the machine could read it.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { rotateSecrets } from '../db/rotate-secrets.js';
import { loadSecretBox, SecretBox } from '../db/secrets.js';
import { Sql } from '../db/sql.js';
import { printJson, printLine } from './output.js';

function newKeyText(file: string | undefined, envKey: string | undefined): string {
  if (file) return readFileSync(file, 'utf8');
  if (envKey) return envKey;
  throw new Error('give the new key in DELFIN_NEW_SECRET_KEY or with --new-key-file FILE (openssl rand -base64 32)');
}

async function rotate(opts: { newKeyFile?: string; json?: boolean }): Promise<void> {
  const config = loadConfig();
  const oldBox = loadSecretBox(config.secretKey, config.secretKeyFile, (m) => process.stderr.write(`delfin: ${m}\n`));
  const newBox = SecretBox.fromKeyText(newKeyText(opts.newKeyFile, config.newSecretKey), opts.newKeyFile ? `the key in ${opts.newKeyFile}` : 'DELFIN_NEW_SECRET_KEY');
  const sql = new Sql(config.databaseUrl, 1);
  try {
    const r = await rotateSecrets(sql, oldBox, newBox);
    if (opts.json) return printJson(r);
    printLine(`re-encrypted ${r.reencrypted} passwords of ${r.storages} storages under the new key (${r.alreadyNew} already were)`);
    const a = r.alertSourceSecrets;
    if (a.reencrypted + a.alreadyNew > 0) printLine(`re-encrypted ${a.reencrypted} alert source communities and keys (${a.alreadyNew} already were)`);
    printLine('now set DELFIN_SECRET_KEY to the new key and restart every api and worker');
  } finally {
    await sql.close();
  }
}

export function registerSecretsCommand(program: Command): Command[] {
  const secrets = program.command('secrets').description('stored credentials');
  secrets
    .command('rotate')
    .description('re-encrypt every stored password under a new key, in one transaction (safe to run again)')
    .option('--new-key-file <file>', 'the new key (32 bytes, base64 or hex); default: env DELFIN_NEW_SECRET_KEY')
    .action(async (_opts: unknown, cmd: Command) => {
      try {
        // --json is the program's global option: { storages, reencrypted, alreadyNew, alertSourceSecrets }.
        await rotate(cmd.optsWithGlobals<{ newKeyFile?: string; json?: boolean }>());
      } catch (err) {
        process.stderr.write(`delfin: ${(err as Error).message}\n`);
        process.exit(1);
      }
    });
  return [secrets];
}
