// A JSON input (extraAttributes) nested thousands of levels deep overflowed the server's stack:
// INTERNAL_SERVER_ERROR for a variable, a bare "Maximum call stack size exceeded" for a literal.
// Every JSON input is now bounded in depth and size (policy api.maxJsonDepth, api.maxJsonBytes):
// BAD_USER_INPUT naming the field, as a variable or an inline literal, over HTTP and graphql-ws,
// and nothing is stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { policyFile } from '../support/policy-file.js';
import { newToken } from '../../src/api/auth/tokens.js';

type GraphQLErrorJson = { message: string; extensions?: Record<string, unknown> };

const REGISTER = 'mutation($input: RegisterStorageInput!) { registerStorage(input: $input) { id } }';
const COUNT = '{ storages { totalCount } }';

/** `levels` objects nested in one another, as JSON text (JSON.stringify itself would overflow). */
const nestedJson = (levels: number) => '{"a":'.repeat(levels - 1) + '{"leaf":1}' + '}'.repeat(levels - 1);
/** The same as a GraphQL literal. */
const nestedLiteral = (levels: number) => '{a: '.repeat(levels - 1) + '{leaf: 1}' + '}'.repeat(levels - 1);

const accessJson = (host: string, extraAttributes: string) =>
  `{"vendor":"fake_storage","model":"fake_driver","rest":{"host":"${host}","port":8443,"username":"admin","password":"pw-pw-pw-pw"},"extraAttributes":${extraAttributes}}`;
const registerLiteral = (host: string, extraAttributes: string) =>
  `mutation { registerStorage(input: {vendor: "fake_storage", model: "fake_driver", rest: {host: "${host}", port: 8443, username: "admin", password: "pw-pw-pw-pw"}, extraAttributes: ${extraAttributes}}) { id } }`;

/** The operation as a request body, its variables given as JSON text. */
const body = (query: string, variablesJson = '{}') => `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`;

async function overHttp(url: string, payload: string): Promise<GraphQLErrorJson[] | undefined> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
  return ((await res.json()) as { errors?: GraphQLErrorJson[] }).errors;
}

/** One operation over graphql-ws, written by hand for the same reason; resolves with its errors. */
function overWs(url: string, payload: string): Promise<GraphQLErrorJson[] | undefined> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const timer = setTimeout(() => (socket.close(), reject(new Error('no answer over graphql-ws in 10 s'))), 10_000);
    let errors: GraphQLErrorJson[] | undefined;
    socket.on('open', () => socket.send('{"type":"connection_init"}'));
    socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (m.type === 'connection_ack') socket.send(`{"type":"subscribe","id":"1","payload":${payload}}`);
      if (m.type === 'next') errors ??= (m.payload as { errors?: GraphQLErrorJson[] }).errors;
      if (m.type === 'error') errors = m.payload as GraphQLErrorJson[];
      if (m.type === 'complete' || m.type === 'error') {
        clearTimeout(timer);
        socket.close();
        resolve(errors);
      }
    });
    socket.on('error', reject);
  });
}

const TRANSPORTS = { HTTP: overHttp, 'graphql-ws': overWs } as const;

function assertRefused(errors: GraphQLErrorJson[] | undefined, limit: RegExp): void {
  assert.ok(errors?.length, 'an error is answered');
  const [first] = errors!;
  assert.equal(first!.extensions?.code, 'BAD_USER_INPUT', first!.message);
  assert.equal(first!.extensions?.field, 'input.extraAttributes', first!.message);
  assert.match(first!.message, /input\.extraAttributes/);
  assert.match(first!.message, limit);
}

describe('JSON inputs are bounded', { timeout: 120_000 }, () => {
  let env: TestEnv;
  let api: DelfinProcess;
  let tight: DelfinProcess;

  before(async () => {
    env = testEnv('jsonbounds');
    api = await startDelfin('api', env.env);
    const policy = policyFile({ api: { maxJsonDepth: 4, maxJsonBytes: 1024 } });
    tight = await startDelfin('api', { ...env.env, DELFIN_CONFIG: policy });
  });

  after(async () => {
    await tight?.stop();
    await api?.stop();
    await env?.cleanup();
  });

  for (const [transport, send] of Object.entries(TRANSPORTS)) {
    test(`[${transport}] extraAttributes 5 000 levels deep as a variable: BAD_USER_INPUT naming the field`, async () => {
      const errors = await send(api.url, body(REGISTER, `{"input":${accessJson('10.13.0.1', nestedJson(5000))}}`));
      assertRefused(errors, /at most 32 levels .*api\.maxJsonDepth/);
    });

    test(`[${transport}] extraAttributes 5 000 levels deep as an inline literal: BAD_USER_INPUT naming the field`, async () => {
      const errors = await send(api.url, body(registerLiteral('10.13.0.2', nestedLiteral(5000))));
      assertRefused(errors, /32 levels.*api\.maxJsonDepth/);
    });

    test(`[${transport}] 40 levels, past the default of 32, as a variable and as a literal`, async () => {
      assertRefused(await send(api.url, body(REGISTER, `{"input":${accessJson('10.13.0.3', nestedJson(40))}}`)), /32 levels/);
      assertRefused(await send(api.url, body(registerLiteral('10.13.0.4', nestedLiteral(40)))), /32 levels/);
    });

    test(`[${transport}] the policy's api.maxJsonDepth and api.maxJsonBytes are the limits`, async () => {
      assertRefused(await send(tight.url, body(REGISTER, `{"input":${accessJson('10.13.0.5', nestedJson(5))}}`)), /at most 4 levels/);
      assertRefused(await send(tight.url, body(registerLiteral('10.13.0.6', nestedLiteral(5)))), /4 levels/);
      const big = `{"blob":"${'x'.repeat(2000)}"}`;
      assertRefused(await send(tight.url, body(REGISTER, `{"input":${accessJson('10.13.0.7', big)}}`)), /at most 1024 bytes .*api\.maxJsonBytes/);
      assertRefused(await send(tight.url, body(registerLiteral('10.13.0.8', `{blob: "${'x'.repeat(2000)}"}`))), /at most 1024 bytes/);
    });
  }

  test('with tokens configured, a deep literal without a token is UNAUTHENTICATED (401), not looked at', async () => {
    const admin = newToken();
    const guarded = await startDelfin('api', { ...env.env, DELFIN_TOKENS: `admin:${admin}` });
    try {
      const payload = body(registerLiteral('10.13.0.10', nestedLiteral(5000)));
      const anonymous = await fetch(guarded.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
      assert.equal(anonymous.status, 401);
      const withToken = await fetch(guarded.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: payload });
      assertRefused(((await withToken.json()) as { errors?: GraphQLErrorJson[] }).errors, /32 levels/);
    } finally {
      await guarded.stop();
    }
  });

  test('nothing was stored, the api still serves, and a value within the limits is taken', async () => {
    assert.equal((await gql(api.url, COUNT)).storages.totalCount, 0);
    const within = await overHttp(api.url, body(registerLiteral('10.13.0.9', '{pools: 2, volumes: 3}')));
    assert.equal(within, undefined, JSON.stringify(within));
    assert.equal((await gql(api.url, COUNT)).storages.totalCount, 1);
  });
});
