// Browsers apply no CORS to WebSockets: a page of another site must not drive the api through
// graphql-ws. A foreign Origin is refused at the upgrade (403), before any GraphQL, with or
// without tokens; the api's own pages, the listed origins and programs (no Origin) still work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { newToken } from '../../src/auth/tokens.js';

const FOREIGN = 'http://evil.example';
const LISTED = 'https://ops.example.com';
const ADMIN = newToken();
const COUNT = '{ storages { totalCount } }';

/** Runs one operation over graphql-ws with the given Origin header; resolves with its result or the failure. */
function overWs(url: string, query: string, opts: { origin?: string; token?: string; variables?: Record<string, unknown> } = {}) {
  let status: number | undefined;
  class OriginSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, opts.origin ? { headers: { origin: opts.origin } } : {});
      // ws reports a refused upgrade as "Unexpected server response: <status>".
      this.on('error', (err) => (status = Number(/server response: (\d+)/.exec(err.message)?.[1]) || undefined));
    }
  }
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: OriginSocket,
    lazy: true,
    retryAttempts: 0,
    ...(opts.token ? { connectionParams: { authorization: `Bearer ${opts.token}` } } : {}),
  });
  return new Promise<{ data?: any; errors?: unknown; failed?: boolean; status?: number }>((resolve) => {
    let first: { data?: any; errors?: unknown } | undefined;
    client.subscribe({ query, variables: opts.variables ?? {} }, {
      next: (v) => {
        first ??= v as never;
        // A subscription's first event is enough to show it was served.
        void client.dispose();
        resolve({ ...first });
      },
      error: () => {
        void client.dispose();
        resolve({ failed: true, status });
      },
      complete: () => resolve({ ...first }),
    });
  });
}

function suite(label: string, extra: NodeJS.ProcessEnv, token?: string) {
  describe(label, () => {
    let t: TestEnv;
    let delfin: DelfinProcess;
    let taskId: string;
    before(async () => {
      t = testEnv(`origin${label.length}`, extra);
      delfin = await startDelfin('all', t.env);
      const registered = await gql(delfin.url, `mutation($input: RegisterStorageInput!) { registerStorage(input: $input) { id } }`, { input: fakeInput('10.77.0.1', { volumes: 3 }) }, token);
      const { tasks } = await gql(delfin.url, `query($id: ID!) { tasks(storageId: $id) { edges { node { id } } } }`, { id: registered.registerStorage.id }, token);
      taskId = tasks.edges[0].node.id;
    });
    after(async () => {
      await delfin.stop();
      await t.cleanup();
    });

    test('a foreign Origin is refused with 403 for a query, a mutation and a subscription, and changes nothing', async () => {
      const query = await overWs(delfin.url, COUNT, { origin: FOREIGN, token });
      assert.deepEqual(query, { failed: true, status: 403 });
      const mutation = await overWs(delfin.url, REGISTER, { origin: FOREIGN, token, variables: { input: fakeInput('10.77.0.2') } });
      assert.deepEqual(mutation, { failed: true, status: 403 });
      const sub = await overWs(delfin.url, `subscription($id: ID!) { taskEvents(taskId: $id) { type } }`, { origin: FOREIGN, token, variables: { id: taskId } });
      assert.deepEqual(sub, { failed: true, status: 403 });
      for (const origin of ['null', 'http://127.0.0.1.evil.example', `http://localhost:1`]) {
        assert.deepEqual(await overWs(delfin.url, COUNT, { origin, token }), { failed: true, status: 403 }, origin);
      }
      assert.equal((await gql(delfin.url, COUNT, {}, token)).storages.totalCount, 1, 'the refused mutation registered nothing');
      assert.match(delfin.output(), /WebSocket refused: its Origin is not allowed/);
    });

    test("the api's own origin (its dashboard and playground) is served", async () => {
      const own = new URL(delfin.url).origin;
      const res = await overWs(delfin.url, COUNT, { origin: own, token });
      assert.equal(res.data?.storages.totalCount, 1);
      const sub = await overWs(delfin.url, `subscription($id: ID!) { taskEvents(taskId: $id) { task { id } } }`, { origin: own, token, variables: { id: taskId } });
      assert.equal(sub.data?.taskEvents.task.id, taskId);
    });

    test('a program that sends no Origin is served', async () => {
      const res = await overWs(delfin.url, COUNT, { token });
      assert.equal(res.data?.storages.totalCount, 1);
    });
  });
}

suite('loopback default, no tokens', {});

describe('tokens and a listed origin', () => {
  suite('with tokens', { DELFIN_TOKENS: `admin:${ADMIN}`, DELFIN_ALLOWED_ORIGINS: `${LISTED}, http://dash.example:8080` }, ADMIN);

  test('a listed origin is served; a token does not open the door to an unlisted one', async () => {
    const t = testEnv('originlisted', { DELFIN_TOKENS: `admin:${ADMIN}`, DELFIN_ALLOWED_ORIGINS: `${LISTED},http://dash.example:8080` });
    const delfin = await startDelfin('api', t.env);
    try {
      assert.equal((await overWs(delfin.url, COUNT, { origin: LISTED, token: ADMIN })).data?.storages.totalCount, 0);
      assert.equal((await overWs(delfin.url, COUNT, { origin: 'HTTP://DASH.example:8080', token: ADMIN })).data?.storages.totalCount, 0);
      assert.deepEqual(await overWs(delfin.url, COUNT, { origin: 'http://dash.example:8081', token: ADMIN }), { failed: true, status: 403 });
      assert.deepEqual(await overWs(delfin.url, COUNT, { origin: 'http://ops.example.com', token: ADMIN }), { failed: true, status: 403 });
    } finally {
      await delfin.stop();
      await t.cleanup();
    }
  });
});
