// Each limit on what one request may ask answers with a clear error and its extensions.code,
// over HTTP and (where it applies) over graphql-ws; the server keeps answering after each.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError, subscribe } from '../support/graphql.js';
import { policyFile } from '../support/policy-file.js';

const MAX_SUBSCRIPTIONS = 3;
const MAX_BODY = 64 * 1024;
const t = testEnv('limits', {
  DELFIN_INTROSPECTION: 'false',
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

/** The first error of an operation sent over graphql-ws. */
async function wsError(query: string): Promise<{ message: string; extensions?: Record<string, unknown> }> {
  const sub = subscribe(url, query);
  try {
    await sub.waitFor(() => true, 10_000);
  } catch (err: any) {
    return err.errors?.[0] ?? (Array.isArray(err) ? err[0] : { message: String(err?.message ?? err) });
  } finally {
    await sub.close();
  }
  throw new Error('expected an error');
}

async function stillAnswers() {
  assert.deepEqual(await gql(url, '{ drivers { vendor } }'), { drivers: [{ vendor: 'fake_storage' }, { vendor: 'snia' }] });
}

// storage > volumes > edges > node > storage > ... : 13 levels, over the default limit of 12.
const DEEP = '{ storage(id: "x") { volumes { edges { node { storage { volumes { edges { node { storage { volumes { edges { node { id } } } } } } } } } } } } }';

test('depth: deeper than api.maxDepth is GRAPHQL_VALIDATION_FAILED naming the limit', async () => {
  const err = await gqlError(url, DEEP);
  assert.equal(err.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(err.message, /Query depth limit of 12 exceeded, found 13/);
  const ws = await wsError(DEEP.replace(/^\{/, 'query {'));
  assert.match(ws.message, /Query depth limit of 12 exceeded/);
  assert.equal(ws.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
  await stillAnswers();
});

test('cost: pages of pages over api.maxCost are GRAPHQL_VALIDATION_FAILED', async () => {
  const err = await gqlError(url, '{ storages(first: 1000) { edges { node { volumes(first: 1000) { totalCount } } } } }');
  assert.equal(err.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(err.message, /Query Cost limit of 100000 exceeded, found \d+/);
  await stillAnswers();
});

test('aliases: more than api.maxAliases is GRAPHQL_VALIDATION_FAILED', async () => {
  const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: drivers { vendor }`).join(' ');
  const err = await gqlError(url, `{ ${aliases} }`);
  assert.equal(err.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(err.message, /Aliases limit of 15 exceeded, found 16/);
  await stillAnswers();
});

test('directives: more than api.maxDirectives is GRAPHQL_VALIDATION_FAILED', async () => {
  const err = await gqlError(url, `{ drivers { vendor ${'@include(if: true) '.repeat(51)} } }`);
  assert.equal(err.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(err.message, /Directives limit of 50 exceeded, found 51/);
});

test('tokens: a document of more than api.maxTokens tokens is GRAPHQL_PARSE_FAILED, over HTTP and WebSocket', async () => {
  const query = `{ ${'a '.repeat(6000)} }`;
  const err = await gqlError(url, query);
  assert.equal(err.code, 'GRAPHQL_PARSE_FAILED');
  assert.match(err.message, /Document contains more that 5000 tokens/);
  const ws = await wsError(query);
  assert.equal(ws.extensions?.code, 'GRAPHQL_PARSE_FAILED');
  await stillAnswers();
});

test('page size: first above 1000 is BAD_USER_INPUT naming first', async () => {
  const err = await gqlError(url, 'query($n: Int) { volumes(first: $n) { totalCount } }', { n: 1001 });
  assert.equal(err.code, 'BAD_USER_INPUT');
  assert.match(err.message, /first must be between 0 and 1000/);
  assert.equal(err.errors[0]!.extensions?.field, 'first');
});

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

test('CSRF: a GET or a text/plain POST without a preflight header is refused with BAD_REQUEST', async () => {
  const get = await fetch(`${url}?query=${encodeURIComponent('{ drivers { vendor } }')}`);
  assert.equal(get.status, 400);
  assert.match(await get.text(), /Cross-Site Request Forgery/);
  const simple = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ drivers { vendor } }"}' });
  assert.equal(simple.status, 400);
  const body = (await simple.json()) as any;
  assert.equal(body.errors[0].extensions.code, 'BAD_REQUEST');
  assert.match(body.errors[0].message, /CSRF/);
  // A GET with the header a browser cannot add without a preflight passes.
  const ok = await fetch(`${url}?query=${encodeURIComponent('{ drivers { vendor } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
  assert.equal(ok.status, 200);
});

test('introspection off (DELFIN_INTROSPECTION=false): refused over HTTP and WebSocket; field suggestions are hidden', async () => {
  const err = await gqlError(url, '{ __schema { types { name } } }');
  assert.equal(err.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(err.message, /introspection/i);
  const ws = await wsError('{ __type(name: "Storage") { name } }');
  assert.match(ws.message, /introspection/i);
  const typo = await gqlError(url, '{ storagez { totalCount } }');
  assert.equal(typo.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.doesNotMatch(typo.message, /Did you mean/);
  await stillAnswers();
});

test('a variable of the wrong type is BAD_USER_INPUT over graphql-ws too, as over HTTP', async () => {
  const query = 'subscription Watch($taskId: ID) { taskEvents(taskId: $taskId) { type } }';
  const sub = subscribe(url, query, { taskId: { not: 'an id' } });
  let error: { message: string; extensions?: Record<string, unknown> } | undefined;
  try {
    await sub.waitFor(() => true, 10_000);
  } catch (err: any) {
    error = err.errors?.[0];
  } finally {
    await sub.close();
  }
  assert.match(error?.message ?? '', /^Variable "\$taskId" got invalid value/);
  assert.equal(error?.extensions?.code, 'BAD_USER_INPUT');
  const http = await gqlError(url, 'query Q($id: ID!) { task(id: $id) { id } }', { id: { not: 'an id' } });
  assert.equal(http.code, 'BAD_USER_INPUT');
  await stillAnswers();
});
