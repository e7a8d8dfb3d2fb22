// The file `delfin apply -f` reads: YAML (or JSON), `storages:` a list of declarations. Each
// entry is checked on its own (zod) so one bad entry never hides the others; secrets are never
// written in the file but named there (`passwordFrom: { env: NAME }` or `{ file: path }`, a
// path relative to the file) and read here, by the CLI, from the environment or the file.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { StorageDeclarationInput } from '../client/generated/graphql.js';

/** An entry that could not be sent, and why (its field, as written in the file). */
export interface BadEntry {
  index: number;
  name: string;
  field: string;
  message: string;
}

export interface DeclaredFleet {
  /** The good entries, in file order, with their position in the file. */
  entries: Array<{ index: number; declaration: StorageDeclarationInput }>;
  bad: BadEntry[];
}

const secretFrom = z.union([z.object({ env: z.string().min(1) }).strict(), z.object({ file: z.string().min(1) }).strict()], {
  error: 'use { env: NAME } (an environment variable) or { file: path } (a file, relative to this one)',
});
type SecretFrom = z.infer<typeof secretFrom>;

const port = z.number().int().min(1).max(65535);
const rest = z
  .object({
    host: z.string().min(1),
    port,
    username: z.string().min(1),
    passwordFrom: secretFrom,
    verifyTls: z.boolean().optional(),
    caCertificate: z.string().min(1).optional(),
    certificateFingerprint: z.string().min(1).optional(),
  })
  .strict();
const ssh = z
  .object({ host: z.string().min(1), port, username: z.string().min(1), passwordFrom: secretFrom.optional(), pubKey: z.string().min(1).optional() })
  .strict();
const polling = z.object({ perfCollection: z.boolean(), interval: z.number().int().positive(), isHistoric: z.boolean().default(false) }).strict();
const entrySchema = z
  .object({
    name: z.string().min(1).max(255),
    vendor: z.string().min(1),
    model: z.string().min(1),
    description: z.string().max(2000).nullable().optional(),
    rest: rest.optional(),
    ssh: ssh.optional(),
    extraAttributes: z.record(z.string(), z.unknown()).optional(),
    syncSchedule: z
      .object({ enabled: z.boolean().default(true), intervalSeconds: z.number().int().positive().optional(), cron: z.string().min(1).optional() })
      .strict()
      .optional(),
    metricsConfig: z.object({ arrayPolling: polling.optional(), poolPolling: polling.optional(), volumePolling: polling.optional() }).strict().optional(),
    alertSource: z
      .object({
        host: z.string().min(1),
        version: z.enum(['V2C', 'V3']),
        communityFrom: secretFrom.optional(),
        username: z.string().min(1).optional(),
        authProtocol: z.enum(['MD5', 'SHA', 'SHA224', 'SHA256', 'SHA384', 'SHA512']).optional(),
        authKeyFrom: secretFrom.optional(),
        privacyProtocol: z.enum(['DES', 'AES', 'AES256B', 'AES256R']).optional(),
        privacyKeyFrom: secretFrom.optional(),
        engineId: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
type Entry = z.infer<typeof entrySchema>;

/** Secrets written in the file itself: refused, naming where they should come from instead. */
const LITERAL_SECRETS: Array<[string, string, string]> = [
  ['rest', 'password', 'passwordFrom'],
  ['ssh', 'password', 'passwordFrom'],
  ['alertSource', 'community', 'communityFrom'],
  ['alertSource', 'authKey', 'authKeyFrom'],
  ['alertSource', 'privacyKey', 'privacyKeyFrom'],
];

class EntryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads and checks the file; a file that is not a list of storages throws (nothing is applied). */
export function readFleetFile(path: string, env: NodeJS.ProcessEnv = process.env): DeclaredFleet {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
  const list = (doc as { storages?: unknown } | null)?.storages;
  const extra = doc && typeof doc === 'object' ? Object.keys(doc).filter((k) => k !== 'storages') : [];
  if (!Array.isArray(list) || extra.length > 0) {
    throw new Error(`${path}: expected a document with one key, storages: a list of storages${extra.length ? ` (unknown key: ${extra.join(', ')})` : ''}`);
  }
  const fleet: DeclaredFleet = { entries: [], bad: [] };
  list.forEach((raw: unknown, index) => {
    const name = typeof (raw as { name?: unknown })?.name === 'string' ? (raw as { name: string }).name : '';
    try {
      fleet.entries.push({ index, declaration: toDeclaration(checkEntry(raw), dirname(resolve(path)), env) });
    } catch (err) {
      if (!(err instanceof EntryError)) throw err;
      fleet.bad.push({ index, name, field: err.field, message: err.message });
    }
  });
  return withoutRepeatedNames(fleet);
}

/** A name given twice names one storage twice: every entry with it is bad (sent in batches, the API would not see both). */
function withoutRepeatedNames(fleet: DeclaredFleet): DeclaredFleet {
  const positions = new Map<string, number[]>();
  for (const e of fleet.entries) positions.set(e.declaration.name, [...(positions.get(e.declaration.name) ?? []), e.index]);
  const repeated = (name: string) => (positions.get(name)?.length ?? 0) > 1;
  const bad = fleet.entries
    .filter((e) => repeated(e.declaration.name))
    .map((e) => ({
      index: e.index,
      name: e.declaration.name,
      field: 'name',
      message: `the name is given to more than one entry (entries ${positions.get(e.declaration.name)!.map((i) => i + 1).join(', ')}); each entry names one storage`,
    }));
  return { entries: fleet.entries.filter((e) => !repeated(e.declaration.name)), bad: [...fleet.bad, ...bad].sort((a, b) => a.index - b.index) };
}

function checkEntry(raw: unknown): Entry {
  for (const [part, secret, from] of LITERAL_SECRETS) {
    const value = (raw as Record<string, Record<string, unknown> | undefined> | null)?.[part]?.[secret];
    if (value !== undefined) {
      throw new EntryError(`${part}.${secret}`, `secrets are not written in the file; use ${from}: { env: NAME } or ${from}: { file: path }`);
    }
  }
  const parsed = entrySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') throw new EntryError([...issue.path, issue.keys[0]!].join('.'), 'unknown field');
  throw new EntryError(issue.path.join('.') || '(entry)', issue.message);
}

function readSecret(from: SecretFrom, field: string, baseDir: string, env: NodeJS.ProcessEnv): string {
  if ('env' in from) {
    const value = env[from.env];
    if (value === undefined || value === '') throw new EntryError(`${field}.env`, `the environment variable ${from.env} is not set`);
    return value;
  }
  try {
    const value = readFileSync(resolve(baseDir, from.file), 'utf8').replace(/\r?\n$/, '');
    if (value === '') throw new EntryError(`${field}.file`, `${from.file} is empty`);
    return value;
  } catch (err) {
    if (err instanceof EntryError) throw err;
    throw new EntryError(`${field}.file`, `cannot read ${from.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function toDeclaration(e: Entry, baseDir: string, env: NodeJS.ProcessEnv): StorageDeclarationInput {
  const secret = (from: SecretFrom | undefined, field: string) => (from ? readSecret(from, field, baseDir, env) : undefined);
  const { passwordFrom: restSecret, ...restRest } = e.rest ?? ({} as Partial<NonNullable<Entry['rest']>>);
  const { passwordFrom: sshSecret, ...sshRest } = e.ssh ?? ({} as Partial<NonNullable<Entry['ssh']>>);
  const a = e.alertSource;
  return {
    name: e.name,
    vendor: e.vendor,
    model: e.model,
    ...(e.description !== undefined ? { description: e.description } : {}),
    ...(e.rest ? { rest: { ...(restRest as Omit<NonNullable<Entry['rest']>, 'passwordFrom'>), password: secret(restSecret, 'rest.passwordFrom')! } } : {}),
    ...(e.ssh ? { ssh: { ...(sshRest as Omit<NonNullable<Entry['ssh']>, 'passwordFrom'>), password: secret(sshSecret, 'ssh.passwordFrom') ?? null } } : {}),
    ...(e.extraAttributes !== undefined ? { extraAttributes: e.extraAttributes } : {}),
    ...(e.syncSchedule ? { syncSchedule: e.syncSchedule } : {}),
    ...(e.metricsConfig ? { metricsConfig: e.metricsConfig } : {}),
    ...(a
      ? {
          alertSource: {
            host: a.host,
            version: a.version,
            community: secret(a.communityFrom, 'alertSource.communityFrom') ?? null,
            username: a.username ?? null,
            authProtocol: a.authProtocol ?? null,
            authKey: secret(a.authKeyFrom, 'alertSource.authKeyFrom') ?? null,
            privacyProtocol: a.privacyProtocol ?? null,
            privacyKey: secret(a.privacyKeyFrom, 'alertSource.privacyKeyFrom') ?? null,
            engineId: a.engineId ?? null,
          },
        }
      : {}),
  };
}
