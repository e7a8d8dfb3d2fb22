// Bearer tokens and roles on a real api: over HTTP, over graphql-ws, through the typed client
// and the CLI; health endpoints stay open.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError, subscribe } from '../support/graphql.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { policyFile } from '../support/policy-file.js';
import { hashToken, newToken } from '../../src/auth/tokens.js';
import { createDelfinClient, DelfinClientError } from '../../src/client/client.js';
import { StoragesDocument, TaskEventsDocument } from '../../src/client/generated/graphql.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const ADMIN = newToken();
const OPERATOR = newToken();
const VIEWER = newToken();
/** Given to the server only as a hash, in the policy file. */
const HASHED_OPERATOR = newToken();

const t = testEnv('auth', {
  DELFIN_TOKENS: `admin:${ADMIN},operator:${OPERATOR},viewer:${VIEWER}`,
  DELFIN_CONFIG: policyFile({ auth: { tokens: [{ name: 'ci-bot', role: 'operator', hash: hashToken(HASHED_OPERATOR) }] } }),
});
let delfin: DelfinProcess;
let url: string;
let storageId: string;

before(async () => {
  delfin = await startDelfin('all', t.env);
  url = delfin.url;
  storageId = (await gql(url, REGISTER, { input: fakeInput('10.7.0.1', { volumes: 5 }) }, ADMIN)).registerStorage.id;
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

async function post(headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ storages { totalCount } }' }) });
  return { status: res.status, body: (await res.json()) as any, authenticate: res.headers.get('www-authenticate') };
}

test('no token, a malformed or an unknown one: 401 UNAUTHENTICATED with a sentence, nothing echoed', async () => {
  const none = await post({});
  assert.equal(none.status, 401);
  assert.equal(none.authenticate, 'Bearer');
  assert.equal(none.body.errors[0].extensions.code, 'UNAUTHENTICATED');
  assert.match(none.body.errors[0].message, /Authentication required.*Bearer/);
  assert.equal(none.body.data, undefined);
  const basic = await post({ authorization: `Basic ${VIEWER}` });
  assert.equal(basic.body.errors[0].extensions.code, 'UNAUTHENTICATED');
  const unknown = await post({ authorization: `Bearer ${'x'.repeat(43)}` });
  assert.equal(unknown.status, 401);
  assert.match(unknown.body.errors[0].message, /not valid/);
  assert.doesNotMatch(JSON.stringify(unknown.body), /xxxx/);
});

test('/healthz and /readyz answer without a token', async () => {
  const base = url.replace(/\/graphql$/, '');
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
});

test('viewer: reads; a mutation is FORBIDDEN naming the role it needs, and changes nothing', async () => {
  const { storages } = await gql(url, '{ storages { totalCount } }', {}, VIEWER);
  assert.equal(storages.totalCount, 1);
  const sync = await gqlError(url, SYNC, { id: storageId }, VIEWER);
  assert.equal(sync.code, 'FORBIDDEN');
  assert.equal(sync.message, 'syncStorage needs the operator role; this token has the viewer role.');
  const reg = await gqlError(url, REGISTER, { input: fakeInput('10.7.0.2') }, VIEWER);
  assert.equal(reg.code, 'FORBIDDEN');
  assert.match(reg.message, /registerStorage needs the admin role/);
  assert.equal((await gql(url, '{ storages { totalCount } }', {}, VIEWER)).storages.totalCount, 1);
});

test('operator (from the environment or from a stored hash): syncs and schedules, but not admin operations', async () => {
  for (const token of [OPERATOR, HASHED_OPERATOR]) {
    const { syncStorage } = await gql(url, SYNC, { id: storageId }, token);
    assert.ok(syncStorage.id);
    for (const [op, query] of [
      ['registerStorage', REGISTER],
      ['deleteStorage', 'mutation($id: ID!) { deleteStorage(id: $id) { id } }'],
      ['updateAccessInfo', 'mutation($id: ID!) { updateAccessInfo(storageId: $id, input: { extraAttributes: {} }) { id } }'],
    ] as const) {
      const err = await gqlError(url, query, { id: storageId, input: fakeInput('10.7.0.3') }, token);
      assert.equal(err.code, 'FORBIDDEN', op);
      assert.match(err.message, new RegExp(`^${op} needs the admin role; this token has the operator role`));
    }
  }
  assert.equal((await gql(url, '{ storages { totalCount } }', {}, ADMIN)).storages.totalCount, 1);
});

/** Opens a graphql-ws connection with `payload` in connection_init; resolves with the close code, or 'ack'. */
function connectionInit(payload: Record<string, unknown>): Promise<number | 'ack'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload })));
    ws.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        ws.close();
        resolve('ack');
      }
    });
    ws.on('close', (code) => resolve(code));
    ws.on('error', reject);
  });
}

test('graphql-ws: connection_init without a valid token is closed with 4401; either spelling of the field works', async () => {
  assert.equal(await connectionInit({}), 4401);
  assert.equal(await connectionInit({ authorization: 'Bearer nope-nope-nope-nope' }), 4401);
  assert.equal(await connectionInit({ authorization: VIEWER }), 4401);
  assert.equal(await connectionInit({ authorization: `Bearer ${VIEWER}` }), 'ack');
  assert.equal(await connectionInit({ Authorization: `Bearer ${VIEWER}` }), 'ack');
});

test('graphql-ws: a viewer subscribes; a mutation sent over the socket is FORBIDDEN', async () => {
  const sub = subscribe(url, 'subscription($s: ID) { taskEvents(storageId: $s) { type } }', { s: storageId }, VIEWER);
  const mutation = subscribe(url, 'mutation($id: ID!) { syncStorage(id: $id) { id } }', { id: storageId }, VIEWER);
  await assert.rejects(mutation.waitFor(() => true, 10_000), (err: any) => err.code === 'FORBIDDEN');
  await gql(url, SYNC, { id: storageId }, OPERATOR);
  await sub.waitFor((e: any) => e.taskEvents.type === 'SUCCEEDED', 30_000);
  await sub.close();
  await mutation.close();
});

test('the typed client sends its token over HTTP and WebSocket; without it the server refuses', async () => {
  const client = createDelfinClient({ url, token: VIEWER });
  try {
    assert.equal((await client.request(StoragesDocument, { first: 5 })).storages.totalCount, 1);
    const events = client.subscribe(TaskEventsDocument, { storageId });
    const first = events.next();
    await gql(url, SYNC, { id: storageId }, OPERATOR);
    assert.ok((await first).value.taskEvents.type);
    await events.return!();
  } finally {
    await client.close();
  }
  const anonymous = createDelfinClient({ url });
  try {
    await assert.rejects(anonymous.request(StoragesDocument, { first: 5 }), (e: unknown) => e instanceof DelfinClientError && e.code === 'UNAUTHENTICATED' && e.status === 401);
  } finally {
    await anonymous.close();
  }
});

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DELFIN_URL: url, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the CLI sends DELFIN_TOKEN (or --token); a viewer cannot delete', async () => {
  const ok = await cli(['storage', 'list', '--json'], { DELFIN_TOKEN: VIEWER });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).storages.totalCount, 1);
  const flag = await cli(['--token', VIEWER, 'storage', 'list', '--json'], {});
  assert.equal(flag.code, 0, flag.stderr);
  const none = await cli(['storage', 'list'], {});
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^delfin: Authentication required.*\(UNAUTHENTICATED\)/);
  const forbidden = await cli(['storage', 'delete', storageId], { DELFIN_TOKEN: VIEWER });
  assert.equal(forbidden.code, 1);
  assert.match(forbidden.stderr, /deleteStorage needs the admin role.*\(FORBIDDEN\)/);
});
