// The limits of a request's size and of a connection's operations, and which cross-site requests
// are refused. The rules on what an operation may ask, over both transports, are tested in
// operation-rules.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { policyFile } from '../support/policy-file.js';

const MAX_SUBSCRIPTIONS = 3;
const MAX_BODY = 64 * 1024;
const t = testEnv('limits', {
  DELFIN_CONFIG: policyFile({ api: { maxSubscriptionsPerConnection: MAX_SUBSCRIPTIONS, maxBodyBytes: MAX_BODY } }),
});
let delfin: DelfinProcess;
let url: string;

before(async () => {
  delfin = await startDelfin('api', t.env);
  url = delfin.url;
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

async function stillAnswers() {
  assert.deepEqual(await gql(url, '{ drivers { vendor } }'), { drivers: [{ vendor: 'fake_storage' }, { vendor: 'snia' }] });
}

test('body size: an HTTP body over api.maxBodyBytes is a 413 PAYLOAD_TOO_LARGE; a WebSocket message over it closes the socket (1009)', async () => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ drivers { vendor } }', variables: { pad: 'x'.repeat(MAX_BODY) } }),
  });
  assert.equal(res.status, 413);
  const body = (await res.json()) as any;
  assert.equal(body.errors[0].extensions.code, 'PAYLOAD_TOO_LARGE');
  assert.match(body.errors[0].message, new RegExp(`larger than the ${MAX_BODY} bytes`));
  const code = await new Promise<number>((resolve) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(MAX_BODY) } })));
    ws.on('close', (c) => resolve(c));
    ws.on('error', () => undefined);
  });
  assert.equal(code, 1009);
  await stillAnswers();
});

test('subscriptions: one connection holds at most api.maxSubscriptionsPerConnection; the next is TOO_MANY_SUBSCRIPTIONS', async () => {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  const errors: any[] = [];
  const stops: Array<() => void> = [];
  try {
    for (let i = 0; i <= MAX_SUBSCRIPTIONS; i++) {
      stops.push(client.subscribe({ query: 'subscription { taskEvents { type } }' }, { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined }));
    }
    const deadline = Date.now() + 10_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(errors.length, 1, 'only the one over the limit is refused');
    assert.equal(errors[0][0].extensions.code, 'TOO_MANY_SUBSCRIPTIONS');
    assert.match(errors[0][0].message, /already has 3 operations open, the most one connection may hold \(3\)/);
    // Completing one makes room on the same connection.
    stops[0]!();
    const again = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: '{ drivers { vendor } }' }, { next: resolve, error: resolve, complete: () => undefined });
    });
    assert.deepEqual(again, { data: { drivers: [{ vendor: 'fake_storage' }, { vendor: 'snia' }] } });
  } finally {
    for (const stop of stops) stop();
    await client.dispose();
  }
});

test('cross-site requests: a query over GET is served; a mutation over GET and a form or text/plain POST are refused, changing nothing', async () => {
  // As urql sends a query by default: no content type, no preflight header.
  const get = await fetch(`${url}?query=${encodeURIComponent('{ drivers { vendor } }')}`, { headers: { accept: 'application/graphql-response+json, application/json' } });
  assert.equal(get.status, 200);
  assert.deepEqual(await get.json(), { data: { drivers: [{ vendor: 'fake_storage' }, { vendor: 'snia' }] } });
  // A page of another site may make the browser send it, but may not read the answer: no CORS grant.
  const foreign = await fetch(`${url}?query=${encodeURIComponent('{ drivers { vendor } }')}`, { headers: { origin: 'http://evil.example' } });
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  const register = { query: REGISTER, variables: { input: fakeInput('10.9.9.9') } };
  const getMutation = await fetch(`${url}?query=${encodeURIComponent(register.query)}&variables=${encodeURIComponent(JSON.stringify(register.variables))}`);
  assert.equal(getMutation.status, 405);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const post = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(register) });
    assert.equal(post.status, 400, type);
    const body = (await post.json()) as any;
    assert.equal(body.errors[0].extensions.code, 'BAD_REQUEST');
    assert.match(body.errors[0].message, /must have the header content-type: application\/json.*Cross-Site Request Forgery/);
  }
  assert.deepEqual(await gql(url, '{ storages { totalCount } }'), { storages: { totalCount: 0 } }, 'nothing was registered');
});
