import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SecretBox, loadSecretBox } from '../../src/db/secrets.js';
import { ConfigError } from '../../src/config.js';

const KEY_HEX = 'a'.repeat(64);
const KEY_BYTES = randomBytes(32);
const CLEAR = /cannot be decrypted with this DELFIN_SECRET_KEY/;

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'delfin-secrets-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Replaces one base64 field of a sealed value. */
function withPart(sealed: string, index: number, change: (b: Buffer) => Buffer): string {
  const parts = sealed.split(':');
  parts[index] = change(Buffer.from(parts[index]!, 'base64')).toString('base64');
  return parts.join(':');
}
const flipFirstBit = (b: Buffer) => {
  const c = Buffer.from(b);
  c[0] = c[0]! ^ 1;
  return c;
};

describe('SecretBox', () => {
  test('round trip, including empty and non-ASCII passwords', () => {
    const box = SecretBox.fromKeyText(KEY_HEX);
    for (const p of ['secret', '', 'pässwörd ✓ 密码', 'x'.repeat(10_000), 'a:b:c']) {
      assert.equal(box.decrypt(box.encrypt(p)), p);
    }
  });

  test('sealed form is v1:<nonce>:<tag>:<ciphertext>, 96-bit nonce and 128-bit tag', () => {
    const sealed = SecretBox.fromKeyText(KEY_HEX).encrypt('secret');
    const [v, nonce, tag, data] = sealed.split(':');
    assert.equal(v, 'v1');
    assert.equal(Buffer.from(nonce!, 'base64').length, 12);
    assert.equal(Buffer.from(tag!, 'base64').length, 16);
    assert.equal(Buffer.from(data!, 'base64').length, 'secret'.length);
  });

  test('two encryptions of the same password differ and do not contain it', () => {
    const box = SecretBox.fromKeyText(KEY_HEX);
    const password = 'correct-horse-battery-staple';
    const a = box.encrypt(password);
    const b = box.encrypt(password);
    assert.notEqual(a, b);
    assert.notEqual(a.split(':')[1], b.split(':')[1], 'nonces differ');
    for (const sealed of [a, b]) {
      assert.ok(!sealed.includes(password));
      assert.ok(!sealed.includes(Buffer.from(password).toString('base64')));
      assert.ok(!Buffer.from(sealed.split(':')[3]!, 'base64').includes(Buffer.from(password)));
    }
    assert.equal(box.decrypt(a), password);
    assert.equal(box.decrypt(b), password);
  });

  test('a tampered ciphertext fails with the clear message', () => {
    const box = SecretBox.fromKeyText(KEY_HEX);
    const sealed = box.encrypt('secret');
    assert.throws(() => box.decrypt(withPart(sealed, 3, flipFirstBit)), CLEAR);
  });

  test('a tampered tag or nonce (same length) fails with the clear message', () => {
    const box = SecretBox.fromKeyText(KEY_HEX);
    const sealed = box.encrypt('secret');
    assert.throws(() => box.decrypt(withPart(sealed, 2, flipFirstBit)), CLEAR);
    assert.throws(() => box.decrypt(withPart(sealed, 1, flipFirstBit)), CLEAR);
  });

  test(
    'a truncated tag is refused, not accepted as a shorter (weaker) tag',
    () => {
      const box = SecretBox.fromKeyText(KEY_HEX);
      const sealed = box.encrypt('secret');
      const truncated = withPart(sealed, 2, (b) => b.subarray(0, 4));
      assert.throws(() => box.decrypt(truncated), CLEAR);
    },
  );

  test(
    'a tag of an impossible length fails with the clear message',
    () => {
      const box = SecretBox.fromKeyText(KEY_HEX);
      const sealed = box.encrypt('secret');
      const bad = withPart(sealed, 2, (b) => b.subarray(0, 3));
      assert.throws(() => box.decrypt(bad), CLEAR);
    },
  );

  test('a wrong key fails with the clear message', () => {
    const sealed = SecretBox.fromKeyText(KEY_HEX).encrypt('secret');
    const other = SecretBox.fromKeyText('b'.repeat(64));
    assert.throws(() => other.decrypt(sealed), CLEAR);
  });

  test('a value not in the sealed format is refused', () => {
    const box = SecretBox.fromKeyText(KEY_HEX);
    for (const bad of ['secret', 'v2:a:b:c', 'v1:a:b', 'v1::tag:data', '']) {
      assert.throws(() => box.decrypt(bad), /unknown secret format/, bad);
    }
  });

  test('key as 64 hex characters or as base64: the same bytes give the same key', () => {
    const hex = SecretBox.fromKeyText(KEY_BYTES.toString('hex'));
    const upperHex = SecretBox.fromKeyText(KEY_BYTES.toString('hex').toUpperCase());
    const b64 = SecretBox.fromKeyText(KEY_BYTES.toString('base64'));
    const padded = SecretBox.fromKeyText(`  ${KEY_BYTES.toString('base64')}\n`);
    const sealed = hex.encrypt('secret');
    assert.equal(b64.decrypt(sealed), 'secret');
    assert.equal(upperHex.decrypt(sealed), 'secret');
    assert.equal(padded.decrypt(sealed), 'secret');
    assert.equal(hex.decrypt(b64.encrypt('other')), 'other');
  });

  test('a key that is not 32 bytes is refused with a message mentioning 32 bytes', () => {
    for (const key of [
      'abcd',
      'a'.repeat(62), // hex, 31 bytes
      randomBytes(16).toString('base64'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(32).toString('hex') + 'ab', // 66 hex chars
      '',
    ]) {
      assert.throws(() => SecretBox.fromKeyText(key), /32 bytes/, `key ${JSON.stringify(key)}`);
    }
  });

  test('a wrong key is a ConfigError naming where it came from (start-up prints one line, not a stack)', () => {
    assert.throws(() => SecretBox.fromKeyText('short'), (err: unknown) => err instanceof ConfigError && /^DELFIN_SECRET_KEY must be 32 bytes/.test(err.message));
    const file = join(mkdtempSync(join(tmpdir(), 'delfin-key-')), 'bad.key');
    writeFileSync(file, 'not a key\n');
    assert.throws(() => loadSecretBox(undefined, file, () => {}), (err: unknown) => err instanceof ConfigError && err.message.startsWith(`the key in DELFIN_SECRET_KEY_FILE ${file} must be 32 bytes`));
    // A key file that is a folder is refused before any chmod (a folder made here, in case it is not).
    const folder = mkdtempSync(join(tmpdir(), 'delfin-key-folder-'));
    assert.throws(() => loadSecretBox(undefined, folder, () => {}), (err: unknown) => err instanceof ConfigError && /^DELFIN_SECRET_KEY_FILE: .* is not a file/.test(err.message));
    assert.equal(statSync(folder).mode & 0o777, 0o700, 'the folder kept its mode');
    rmSync(folder, { recursive: true, force: true });
    rmSync(dirname(file), { recursive: true, force: true });
  });
});

describe('loadSecretBox', () => {
  test('DELFIN_SECRET_KEY given: used, no file written, no warning', () => {
    const dir = tempDir();
    const file = join(dir, 'secret.key');
    const warnings: string[] = [];
    const box = loadSecretBox(KEY_HEX, file, (m) => warnings.push(m));
    assert.equal(SecretBox.fromKeyText(KEY_HEX).decrypt(box.encrypt('x')), 'x');
    assert.deepEqual(warnings, []);
    assert.throws(() => statSync(file), /ENOENT/);
  });

  test('without a key: creates the key file once (0600), warns, and reuses it', () => {
    const dir = tempDir();
    const file = join(dir, 'nested', 'dir', 'secret.key');
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);

    const first = loadSecretBox(undefined, file, warn);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const content = readFileSync(file, 'utf8');
    assert.equal(Buffer.from(content.trim(), 'base64').length, 32);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /DELFIN_SECRET_KEY is not set/);
    assert.ok(warnings[0]!.includes(file), 'the warning names the file');
    assert.match(warnings[0]!, /production/);

    const sealed = first.encrypt('secret');
    const second = loadSecretBox(undefined, file, warn);
    assert.equal(readFileSync(file, 'utf8'), content, 'the key file is not rewritten');
    assert.equal(second.decrypt(sealed), 'secret', 'the second box has the same key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(warnings.length, 2);
    assert.ok(warnings[1]!.includes(file));
  });

  test('an empty DELFIN_SECRET_KEY counts as not set', () => {
    const dir = tempDir();
    const file = join(dir, 'secret.key');
    const warnings: string[] = [];
    loadSecretBox('', file, (m) => warnings.push(m));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(warnings.length, 1);
  });

  test('different key files give different keys', () => {
    const dir = tempDir();
    const a = loadSecretBox(undefined, join(dir, 'a.key'), () => {});
    const b = loadSecretBox(undefined, join(dir, 'b.key'), () => {});
    assert.throws(() => b.decrypt(a.encrypt('secret')), CLEAR);
  });
});
