// What a subscriber is promised: a subscription to something that does not exist answers at
// once (NOT_FOUND, or BAD_USER_INPUT for what cannot be an id) and completes, over graphql-ws and
// over HTTP alike; a task received by subscription is the task a query returns, every field of
// it, for every task kind; progress reads as a person would write it (0.55, not 0.5499999999999999).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError, subscribe, type GraphQLRequestError } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { DELETE_STORAGE } from '../support/tasks.js';
import { METRIC_SAMPLES, UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';
import { policyFile } from '../support/policy-file.js';
import { createSchema } from '../../src/api/schema.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const TASK_EVENTS_BY = (arg: 'taskId' | 'storageId') => `subscription($id: ID) { taskEvents(${arg}: $id) { type task { id } } }`;

/**
 * Every field of a type, nested objects included, so a field added to Task is compared too;
 * another node (the task's storage) is a relation, compared by its id.
 */
function selectionOf(type: GraphQLObjectType): string {
  return Object.values(type.getFields())
    .map((f) => {
      const named = getNamedType(f.type);
      if (!isObjectType(named)) return f.name;
      const isNode = named.getInterfaces().some((i) => i.name === 'Node');
      return `${f.name} { ${isNode ? 'id' : selectionOf(named)} }`;
    })
    .join(' ');
}

describe('subscription contract', { timeout: 180_000 }, () => {
  let env: TestEnv;
  let delfin: DelfinProcess;
  let url: string;
  let taskSelection: string;

  before(async () => {
    const policy = policyFile({ scheduler: { processEveryMs: 200 }, metrics: { overlapSeconds: 1, chunkSeconds: 5, historyHorizonSeconds: 60 } });
    env = testEnv('subcontract', { DELFIN_CONFIG: policy, DELFIN_MIN_INTERVAL_SECONDS: '1', SCHEDULER_BACKEND: 'postgres' });
    delfin = await startDelfin('all', env.env);
    url = delfin.url;
    taskSelection = selectionOf((await createSchema()).getType('Task') as GraphQLObjectType);
  });

  after(async () => {
    await delfin?.stop();
    await env?.cleanup();
  });

  const CASES: Array<[string, string, Record<string, unknown>, string, string?]> = [
    ['taskEvents(taskId:) with an id of no task', TASK_EVENTS_BY('taskId'), { id: UNKNOWN }, 'NOT_FOUND'],
    ['taskEvents(taskId:) with a malformed id', TASK_EVENTS_BY('taskId'), { id: 'task-42' }, 'BAD_USER_INPUT', 'taskId'],
    ['taskEvents(storageId:) with an id of no storage', TASK_EVENTS_BY('storageId'), { id: UNKNOWN }, 'NOT_FOUND'],
    ['taskEvents(storageId:) with a malformed id', TASK_EVENTS_BY('storageId'), { id: 'nope' }, 'BAD_USER_INPUT', 'storageId'],
    ['metricSamples with an id of no storage', METRIC_SAMPLES, { storageId: UNKNOWN }, 'NOT_FOUND'],
    ['metricSamples with a malformed id', METRIC_SAMPLES, { storageId: 'nope' }, 'BAD_USER_INPUT', 'storageId'],
  ];

  for (const [what, query, variables, code, field] of CASES) {
    test(`${what}: ${code} at once over graphql-ws, then complete; the same over HTTP`, async () => {
      const sub = subscribe(url, query, variables);
      try {
        const started = Date.now();
        const err = (await sub.waitFor(() => false, 5000).then(
          () => assert.fail('no event was expected'),
          (e: unknown) => e,
        )) as GraphQLRequestError;
        assert.equal(err.code, code, `graphql-ws: ${err.message}`);
        if (field) assert.equal(err.errors[0]!.extensions?.field, field);
        await sub.completed;
        assert.ok(Date.now() - started < 5000, 'answered at once');
      } finally {
        await sub.close();
      }
      const overHttp = await gqlError(url, query, variables);
      assert.equal(overHttp.code, code, `HTTP: ${overHttp.message}`);
      if (field) assert.equal(overHttp.errors[0]!.extensions?.field, field);
    });
  }

  test('a subscription over HTTP with a task that exists is still sent to graphql-ws', async () => {
    const { registerStorage } = await gql(url, REGISTER, { input: fakeInput('10.12.0.1', { pools: 1, volumes: 1 }) });
    const err = await gqlError(url, TASK_EVENTS_BY('storageId'), { id: registerStorage.id });
    assert.equal(err.code, 'BAD_REQUEST');
    assert.match(err.message, /WebSocket/);
  });

  test('every task kind: the task received by subscription equals the task a query returns, field by field; progress has at most 4 decimals', async () => {
    const events = subscribe<{ taskEvents: { type: string; task: any } }>(url, `subscription { taskEvents { type task { ${taskSelection} } } }`);
    const ended = (kind: string) => (e: { taskEvents: { type: string; task: any } }) => e.taskEvents.task.kind === kind && e.taskEvents.type === 'SUCCEEDED';
    const lastOf = (kind: string) => events.received.filter(ended(kind)).at(-1)!.taskEvents.task;
    const queried = async (id: string) => (await gql(url, `query($id: ID!) { task(id: $id) { ${taskSelection} } }`, { id })).task;
    try {
      await events.waitFor(() => true, 1000).catch(() => undefined); // the subscription is open
      // 2 000 volumes in pages of 100, 10 ms apart: twenty progress events between 0.15 and 0.95
      // (0.15 + 0.8 × k/20 in floating point: 0.5499999999999999 for k = 10).
      const input = fakeInput('10.12.0.2', { pools: 2, volumes: 2000, pageSize: 100, latencyMs: 10, metricStepSeconds: 1 }, 'contract-array');
      const storageId = (await gql(url, REGISTER, { input })).registerStorage.id;
      await events.waitFor(ended('SYNC_RESOURCES'), 60_000);
      const sync = lastOf('SYNC_RESOURCES');
      assert.deepEqual(sync, await queried(sync.id), 'SYNC_RESOURCES: subscription and query agree');

      await gql(url, UPDATE_METRICS_CONFIG, { storageId, input: { arrayPolling: polling(true, 1, true) } });
      await events.waitFor(ended('COLLECT_PERFORMANCE'), 60_000);
      const collection = lastOf('COLLECT_PERFORMANCE');
      assert.equal(collection.resourceType, 'STORAGE');
      assert.ok(collection.collection, 'the collection record reaches subscribers');
      assert.deepEqual(collection, await queried(collection.id), 'COLLECT_PERFORMANCE: subscription and query agree');

      await gql(url, DELETE_STORAGE, { id: storageId });
      await events.waitFor(ended('REMOVE_STORAGE'), 60_000);
      const removal = lastOf('REMOVE_STORAGE');
      assert.deepEqual(removal, await queried(removal.id), 'REMOVE_STORAGE: subscription and query agree');

      const progress = events.received.map((e) => e.taskEvents.task.progress as number);
      assert.ok(progress.length > 20, `enough progress events (${progress.length})`);
      const unrounded = progress.filter((p) => Number(p.toFixed(4)) !== p);
      assert.deepEqual(unrounded, [], 'every progress value has at most 4 decimals');
    } finally {
      await events.close();
    }
  });
});
