// Stock GraphQL clients, with their default settings, against the started system: Apollo Client
// (queries and mutations by POST, subscriptions over graphql-ws), urql (queries by GET, as it
// prefers them) and the graphql-http package's audit of the GraphQL-over-HTTP spec. A user's
// app is written with these; if one of them cannot talk to the api, the api is wrong.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Client as UrqlClient, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { serverAudits } from 'graphql-http';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { fakeInput } from '../support/operations.js';

const t = testEnv('stockclients');
let delfin: DelfinProcess;

/** The HTTP requests the clients made to /graphql, seen by wrapping the global fetch they use. */
const requests: Array<{ method: string; url: string }> = [];
const realFetch = globalThis.fetch;

before(async () => {
  delfin = await startDelfin('all', t.env);
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith(delfin.url)) requests.push({ method: init?.method ?? (input instanceof Request ? input.method : 'GET'), url });
    return realFetch(input, init);
  };
});

after(async () => {
  globalThis.fetch = realFetch;
  await delfin?.stop();
  await t.cleanup();
});

const DRIVERS = 'query Drivers { drivers { vendor model } }';
const REGISTER = 'mutation Register($input: RegisterStorageInput!) { registerStorage(input: $input) { id name } }';
const TASKS = 'query Tasks($id: ID!) { tasks(storageId: $id) { edges { node { id kind } } } }';
const EVENTS = 'subscription Events($taskId: ID!) { taskEvents(taskId: $taskId) { type task { id status } } }';
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

function wsClient(): WsClient {
  return createWsClient({ url: delfin.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
}

/** Collects a subscription's events until its task has ended (or the subscription completes). */
function untilTaskEnds(start: (next: (e: { type: string; task: { id: string; status: string } }) => void, done: (err?: unknown) => void) => () => void) {
  return new Promise<Array<{ type: string; task: { id: string; status: string } }>>((resolve, reject) => {
    const events: Array<{ type: string; task: { id: string; status: string } }> = [];
    const timer = setTimeout(() => finish(new Error(`no end of the task within 30 s; events: ${JSON.stringify(events)}`)), 30_000);
    let stop = () => undefined as void;
    const finish = (err?: unknown) => {
      clearTimeout(timer);
      stop();
      if (err) reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
      else resolve(events);
    };
    stop = start((e) => {
      events.push(e);
      if (ENDED.has(e.task.status)) finish();
    }, finish);
  });
}

describe('Apollo Client 4, default settings', () => {
  let ws: WsClient;
  let client: ApolloClient;
  before(() => {
    ws = wsClient();
    const isSubscription = ({ query }: { query: Parameters<typeof getMainDefinition>[0] }) => {
      const def = getMainDefinition(query);
      return def.kind === 'OperationDefinition' && def.operation === 'subscription';
    };
    client = new ApolloClient({
      link: ApolloLink.split(isSubscription, new GraphQLWsLink(ws), new HttpLink({ uri: delfin.url })),
      cache: new InMemoryCache(),
    });
  });
  after(async () => {
    client?.stop();
    await ws?.dispose();
  });

  test('a query, a mutation and a subscription to taskEvents', async () => {
    requests.length = 0;
    const drivers = await client.query({ query: gql(DRIVERS) });
    assert.deepEqual((drivers.data as { drivers: Array<{ vendor: string }> }).drivers.map((d) => d.vendor), ['fake_storage', 'snia']);
    const registered = await client.mutate({ mutation: gql(REGISTER), variables: { input: fakeInput('10.31.0.1', { volumes: 3 }) } });
    const storageId = (registered.data as { registerStorage: { id: string } }).registerStorage.id;
    assert.ok(storageId);
    const tasks = await client.query({ query: gql(TASKS), variables: { id: storageId } });
    const taskId = (tasks.data as { tasks: { edges: Array<{ node: { id: string } }> } }).tasks.edges[0]!.node.id;
    const events = await untilTaskEnds((next, done) => {
      const sub = client.subscribe({ query: gql(EVENTS), variables: { taskId } }).subscribe({
        next: (r) => (r.error ? done(r.error) : next((r.data as { taskEvents: never }).taskEvents)),
        error: done,
        complete: () => done(),
      });
      return () => sub.unsubscribe();
    });
    assert.ok(events.every((e) => e.task.id === taskId));
    assert.equal(events.at(-1)!.task.status, 'SUCCEEDED', JSON.stringify(events));
    assert.deepEqual([...new Set(requests.map((r) => r.method))], ['POST'], 'Apollo Client posts its queries and mutations');
  });
});

describe('urql, default settings', () => {
  let ws: WsClient;
  let client: UrqlClient;
  before(() => {
    ws = wsClient();
    client = new UrqlClient({
      url: delfin.url,
      exchanges: [
        cacheExchange,
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
  });
  after(async () => {
    await ws?.dispose();
  });

  test('a query (sent as GET), a mutation (POST) and a subscription to taskEvents', async () => {
    requests.length = 0;
    const drivers = await client.query(DRIVERS, {}).toPromise();
    assert.equal(drivers.error, undefined, String(drivers.error));
    assert.deepEqual(drivers.data.drivers.map((d: { vendor: string }) => d.vendor), ['fake_storage', 'snia']);
    assert.deepEqual(requests.map((r) => r.method), ['GET'], 'urql sends a query as GET');
    const registered = await client.mutation(REGISTER, { input: fakeInput('10.31.0.2', { volumes: 3 }) }).toPromise();
    assert.equal(registered.error, undefined, String(registered.error));
    assert.equal(requests.at(-1)!.method, 'POST', 'urql posts a mutation');
    const storageId = registered.data.registerStorage.id as string;
    const tasks = await client.query(TASKS, { id: storageId }).toPromise();
    assert.equal(tasks.error, undefined, String(tasks.error));
    const taskId = tasks.data.tasks.edges[0].node.id as string;
    const events = await untilTaskEnds((next, done) => {
      const sub = client.subscription(EVENTS, { taskId }).subscribe((r) => (r.error ? done(r.error) : r.data && next(r.data.taskEvents)));
      return () => sub.unsubscribe();
    });
    assert.ok(events.every((e) => e.task.id === taskId));
    assert.equal(events.at(-1)!.task.status, 'SUCCEEDED', JSON.stringify(events));
  });
});

describe('graphql-http audit of the GraphQL-over-HTTP spec', () => {
  for (const audit of serverAudits({ url: () => delfin.url })) {
    test(`${audit.id}: ${audit.name}`, async (ctx) => {
      const result = await audit.fn();
      if (result.status === 'ok') return;
      const reason = `${result.status}: ${result.reason}`;
      assert.notEqual(result.status, 'error', reason);
      // A recommendation the api does not follow: listed in the output, see the report for why.
      ctx.diagnostic(reason);
      process.stdout.write(`# graphql-http audit ${audit.id} ${audit.name}: ${reason}\n`);
    });
  }
});
