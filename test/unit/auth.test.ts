// Tokens, roles and who may run what: the pieces of authentication that need no server.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { getMetadataStorage } from 'type-graphql';
import { createSchema } from '../../src/api/schema.js';
import { authenticate } from '../../src/api/auth/authenticate.js';
import { includesRole, OPERATION_ROLES } from '../../src/auth/roles.js';
import { entryFromHash, hashToken, newToken, parseEnvTokens, TokenTable } from '../../src/auth/tokens.js';
import { isLoopbackAddress, isLoopbackHost } from '../../src/lib/loopback.js';
import { AppError } from '../../src/errors.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const A = 'a'.repeat(20);
const B = 'b'.repeat(20);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    return err.code;
  }
  return 'none';
}

describe('tokens', () => {
  test('a new token is 32 random bytes, and its hash is sha256:<hex>', () => {
    const t = newToken();
    assert.match(t, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(t, newToken());
    assert.match(hashToken(t), /^sha256:[0-9a-f]{64}$/);
    assert.equal(hashToken('abc'), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('DELFIN_TOKENS: role:token pairs; errors name the entry, never the token', () => {
    const entries = parseEnvTokens(`admin:${A}, viewer:${B}`);
    assert.deepEqual(entries.map((e) => e.role), ['admin', 'viewer']);
    assert.throws(() => parseEnvTokens(`root:${A}`), (e: Error) => /entry 1.*viewer, operator, admin/.test(e.message) && !e.message.includes(A));
    assert.throws(() => parseEnvTokens('admin:short'), (e: Error) => /entry 1 is shorter than 16/.test(e.message) && !e.message.includes('short,'));
  });

  test('the table finds the entry of a token, by env or by stored hash', () => {
    const table = new TokenTable([...parseEnvTokens(`operator:${A}`), entryFromHash('viewer', hashToken(B), 'dashboards')]);
    assert.equal(table.find(A)?.role, 'operator');
    assert.equal(table.find(B)?.name, 'dashboards');
    assert.equal(table.find('c'.repeat(20)), undefined);
    assert.equal(table.find(''), undefined);
    assert.equal(new TokenTable([]).empty, true);
  });

  test('config: DELFIN_TOKENS and auth.tokens are loaded; a bad entry is a ConfigError without the token', () => {
    assert.equal(loadConfig({ DELFIN_TOKENS: `admin:${A}` }).tokens.length, 1);
    assert.throws(() => loadConfig({ DELFIN_TOKENS: `boss:${A}` }), (e: unknown) => e instanceof ConfigError && /DELFIN_TOKENS/.test(e.message) && !e.message.includes(A));
    assert.equal(loadConfig({}).tokens.length, 0);
    assert.equal(loadConfig({}).introspection, true);
    assert.equal(loadConfig({ NODE_ENV: 'production' }).introspection, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', DELFIN_INTROSPECTION: 'true' }).introspection, true);
    assert.throws(() => loadConfig({ DELFIN_INTROSPECTION: 'maybe' }), /DELFIN_INTROSPECTION/);
  });
});

describe('authenticate', () => {
  const table = new TokenTable(parseEnvTokens(`viewer:${A}`));

  test('a valid bearer token gives its role; the scheme is case-insensitive', () => {
    assert.deepEqual(authenticate(table, { authorization: `Bearer ${A}`, remoteAddress: '10.0.0.5' }), { role: 'viewer', name: 'DELFIN_TOKENS #1' });
    assert.equal(authenticate(table, { authorization: `bearer ${A}` }).role, 'viewer');
  });

  test('missing, malformed or unknown tokens are UNAUTHENTICATED, even from loopback', () => {
    assert.equal(code(() => authenticate(table, { remoteAddress: '127.0.0.1' })), 'UNAUTHENTICATED');
    assert.equal(code(() => authenticate(table, { authorization: `Basic ${A}` })), 'UNAUTHENTICATED');
    assert.equal(code(() => authenticate(table, { authorization: `Bearer ${B}` })), 'UNAUTHENTICATED');
    assert.equal(code(() => authenticate(table, { authorization: 42 })), 'UNAUTHENTICATED');
  });

  test('without tokens: loopback clients are admin, others UNAUTHENTICATED', () => {
    const none = new TokenTable([]);
    assert.equal(authenticate(none, { remoteAddress: '127.0.0.1' }).role, 'admin');
    assert.equal(authenticate(none, { remoteAddress: '::ffff:127.0.0.1' }).role, 'admin');
    assert.equal(authenticate(none, { remoteAddress: '::1' }).role, 'admin');
    assert.equal(code(() => authenticate(none, { remoteAddress: '10.0.0.5' })), 'UNAUTHENTICATED');
    assert.equal(code(() => authenticate(none, { remoteAddress: '::ffff:192.168.1.2' })), 'UNAUTHENTICATED');
    assert.equal(code(() => authenticate(none, {})), 'UNAUTHENTICATED');
  });

  test('loopback addresses and hosts', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopbackAddress(a), a);
    for (const a of ['10.0.0.1', '::', '0.0.0.0', '::ffff:10.1.1.1', 'fe80::1', undefined]) assert.ok(!isLoopbackAddress(a), String(a));
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['0.0.0.0', '::', 'example.com', '192.0.2.1']) assert.ok(!isLoopbackHost(h), h);
  });
});

describe('roles', () => {
  test('each role includes the ones below it', () => {
    assert.ok(includesRole('admin', 'operator') && includesRole('operator', 'viewer') && includesRole('viewer', 'viewer'));
    assert.ok(!includesRole('viewer', 'operator') && !includesRole('operator', 'admin'));
  });

  test('every query, mutation and subscription is in the role table and carries @Authorized with its role', async () => {
    const schema = await createSchema();
    const authorized = new Map(getMetadataStorage().authorizedFields.map((f) => [f.fieldName, f.roles]));
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const fields = roots.flatMap((t) => Object.keys(t?.getFields() ?? {}));
    assert.ok(fields.length >= 15);
    for (const name of fields) {
      const role = (OPERATION_ROLES as Record<string, string>)[name];
      assert.ok(role, `${name} is missing from OPERATION_ROLES (src/auth/roles.ts)`);
      assert.deepEqual(authorized.get(name), [role], `${name} must be decorated @Authorized(needs('${name}'))`);
    }
    assert.equal(OPERATION_ROLES.registerStorage, 'admin');
    assert.equal(OPERATION_ROLES.syncStorage, 'operator');
    assert.equal(OPERATION_ROLES.updateMetricsConfig, 'operator');
    assert.equal(OPERATION_ROLES.metricSamples, 'viewer');
  });
});
