// Passwords at rest: AES-256-GCM with a random 96-bit nonce per value. Stored as
// "v1:<nonce>:<tag>:<ciphertext>" (base64), so a future key or algorithm can be told apart.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config.js';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A key is 32 bytes, given as 64 hex characters or as base64; `source` names it in the refusal. */
  static fromKeyText(text: string, source = 'DELFIN_SECRET_KEY'): SecretBox {
    const trimmed = text.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
    if (key.length !== 32) {
      throw new ConfigError(`${source} must be 32 bytes, written as 64 hex characters or as base64 (openssl rand -base64 32)`);
    }
    return new SecretBox(key);
  }

  encrypt(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', nonce.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  decrypt(sealed: string): string {
    const [version, nonce, tag, data] = sealed.split(':');
    if (version !== 'v1' || !nonce || !tag || data === undefined) throw new Error('unknown secret format');
    try {
      // The full 16-byte tag is required: GCM would otherwise accept a truncated (weaker) one.
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64'), { authTagLength: 16 });
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('a stored password cannot be decrypted with this DELFIN_SECRET_KEY (was the key changed?)');
    }
  }
}

/**
 * The key from DELFIN_SECRET_KEY, or for development a key generated once into a local file
 * (mode 0600). `onGenerated` lets the caller warn that production must set the variable.
 */
export function loadSecretBox(keyText: string | undefined, keyFile: string, warn: (msg: string) => void): SecretBox {
  if (keyText) return SecretBox.fromKeyText(keyText);
  try {
    return SecretBox.fromKeyText(developmentKey(keyFile, warn), `the key in DELFIN_SECRET_KEY_FILE ${keyFile}`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`DELFIN_SECRET_KEY_FILE: cannot use ${keyFile} (${(err as Error).message}); set DELFIN_SECRET_KEY or a writable DELFIN_SECRET_KEY_FILE`);
  }
}

/** The development key's text, the file made (owner-only) when there is none yet. */
function developmentKey(keyFile: string, warn: (msg: string) => void): string {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      warn(`DELFIN_SECRET_KEY is not set: generated a development key in ${keyFile}; set DELFIN_SECRET_KEY in production`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another role created it meanwhile
    }
  } else {
    warn(`DELFIN_SECRET_KEY is not set: using the development key in ${keyFile}`);
  }
  // Never a chmod of what is not a key file (DELFIN_SECRET_KEY_FILE=/tmp would close /tmp to everyone).
  if (!statSync(keyFile).isFile()) throw new ConfigError(`DELFIN_SECRET_KEY_FILE: ${keyFile} is not a file; name a key file (or set DELFIN_SECRET_KEY)`);
  chmodSync(keyFile, 0o600);
  return readFileSync(keyFile, 'utf8');
}
