// Bearer tokens: random strings handed to people and programs, each with a role. Only their
// SHA-256 is kept in memory and in the policy file. A token is 32 random bytes, so a fast hash
// is enough (nothing to brute-force), and checking one costs microseconds per request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRole, ROLES, type Role } from './roles.js';

export interface TokenEntry {
  role: Role;
  /** Shown in logs instead of the token: the policy file's name, or "env #n". */
  name: string;
  /** SHA-256 of the token. */
  digest: Buffer;
}

/** Tokens shorter than this are refused: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16;

const HASH = /^sha256:([0-9a-f]{64})$/;

/** A new token: 32 random bytes, base64url (43 characters, no ":" or ","). */
export const newToken = (): string => randomBytes(32).toString('base64url');

const digestOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** The form the policy file stores: `sha256:<64 hex digits>`. */
export const hashToken = (token: string): string => `sha256:${digestOf(token).toString('hex')}`;

export const isTokenHash = (text: string): boolean => HASH.test(text);

export function entryFromHash(role: Role, hash: string, name: string): TokenEntry {
  const m = HASH.exec(hash);
  if (!m) throw new Error(`the hash of token ${name} must be sha256:<64 lowercase hex digits>`);
  return { role, name, digest: Buffer.from(m[1]!, 'hex') };
}

/**
 * DELFIN_TOKENS: `role:token` pairs separated by commas, e.g. "admin:TOKEN1,viewer:TOKEN2".
 * Throws an Error whose message never contains a token.
 */
export function parseEnvTokens(text: string): TokenEntry[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair, i) => {
      const colon = pair.indexOf(':');
      const role = colon < 0 ? '' : pair.slice(0, colon).trim();
      const token = colon < 0 ? '' : pair.slice(colon + 1).trim();
      if (!isRole(role)) throw new Error(`entry ${i + 1} must be <role>:<token> with a role among ${ROLES.join(', ')}`);
      if (token.length < MIN_TOKEN_LENGTH) throw new Error(`the token of entry ${i + 1} is shorter than ${MIN_TOKEN_LENGTH} characters (make one with \`delfin token create\`)`);
      return { role, name: `DELFIN_TOKENS #${i + 1}`, digest: digestOf(token) };
    });
}

/** The configured tokens, looked up in constant time. */
export class TokenTable {
  constructor(private readonly entries: readonly TokenEntry[]) {}

  /** No token configured: the server serves loopback clients only. */
  get empty(): boolean {
    return this.entries.length === 0;
  }

  /**
   * The entry of a presented token. Every entry is compared, with timingSafeEqual on digests of
   * equal length, so the time taken tells nothing about which entry (or how much of one) matched.
   */
  find(token: string): TokenEntry | undefined {
    const digest = digestOf(token);
    let found: TokenEntry | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry;
    }
    return found;
  }
}
