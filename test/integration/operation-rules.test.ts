// One set of rules for both transports (src/api/operation-rules.ts): each rule is run over HTTP
// and over graphql-ws, and must answer the same code and words on both. Field suggestions,
// every graphql-armor limit, the page size, the introspection switch and the codes of errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { testEnv, type TestEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';

type ClientError = { message: string; extensions?: Record<string, unknown> };
type Answer = { data?: unknown; errors?: ClientError[] };
interface Operation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** The answer to one operation sent as a JSON POST. */
async function overHttp(url: string, op: Operation): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(op) });
  return (await res.json()) as Answer;
}

/** The answer to one operation over graphql-ws: its first result, or the errors it ended with. */
function overWs(url: string, op: Operation): Promise<Answer> {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  return new Promise<Answer>((resolve) => {
    client.subscribe(op, {
      next: (result) => resolve(result as Answer),
      error: (err) => resolve({ errors: Array.isArray(err) ? err : [{ message: String((err as Error)?.message ?? err) }] }),
      complete: () => resolve({}),
    });
  }).finally(() => client.dispose());
}

const transports = { HTTP: overHttp, 'graphql-ws': overWs } as const;

interface Rule {
  rule: string;
  op: Operation;
  /** The first error's code and words. */
  code: string;
  message: RegExp;
  /** Words the answer must not hold. */
  not?: RegExp;
  field?: string;
}

// storage > volumes > edges > node > storage > ... : 13 levels, over the default limit of 12.
const DEEP = '{ storage(id: "x") { volumes { edges { node { storage { volumes { edges { node { storage { volumes { edges { node { id } } } } } } } } } } } } }';

const RULES: Rule[] = [
  {
    rule: 'a misspelt field answers without suggesting the schema\'s names',
    op: { query: '{ storages { totalCont } }' },
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /Cannot query field "totalCont" on type "StorageConnection". \[Suggestion hidden\]/,
    not: /Did you mean|totalCount/,
  },
  {
    rule: 'a misspelt input field in variables answers without suggestions',
    op: { query: 'query($f: StorageFilter) { storages(filter: $f) { totalCount } }', variables: { f: { vendr: 'x' } } },
    code: 'BAD_USER_INPUT',
    message: /Field "vendr" is not defined by type "StorageFilter". \[Suggestion hidden\]/,
    not: /Did you mean|"vendor"/,
  },
  {
    rule: 'a misspelt enum value answers without suggestions',
    op: { query: '{ storages(filter: { status: NORMALL }) { totalCount } }' },
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /NORMALL/,
    not: /Did you mean|"NORMAL"/,
  },
  {
    rule: 'introspection off (DELFIN_INTROSPECTION=false): __schema is refused',
    op: { query: '{ __schema { queryType { name } } }' },
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /introspection has been disabled/,
  },
  {
    rule: 'introspection off: __type is refused',
    op: { query: '{ __type(name: "Storage") { name } }' },
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /introspection has been disabled/,
  },
  {
    rule: 'depth: deeper than api.maxDepth',
    op: { query: DEEP },
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /^Query depth limit of 12 exceeded, found 13/,
  },
  {
    rule: 'cost: pages of pages over api.maxCost',
    op: { query: '{ storages(first: 1000) { edges { node { volumes(first: 1000) { totalCount } } } } }' },
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /^Query Cost limit of 100000 exceeded, found \d+/,
  },
  {
    rule: 'aliases: more than api.maxAliases',
    op: { query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: drivers { vendor }`).join(' ')} }` },
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /^Aliases limit of 15 exceeded, found 16/,
  },
  {
    rule: 'directives: more than api.maxDirectives',
    op: { query: `{ drivers { vendor ${'@include(if: true) '.repeat(51)} } }` },
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /^Directives limit of 50 exceeded, found 51/,
  },
  {
    rule: 'tokens: more than api.maxTokens',
    op: { query: `{ ${'a '.repeat(6000)} }` },
    code: 'GRAPHQL_PARSE_FAILED',
    message: /Document contains more that 5000 tokens/,
  },
  {
    // Its cost (350000, over api.maxCost) was the answer before.
    rule: 'page size: a literal first over 1000 names first and the limit, not a cost',
    op: { query: '{ volumes(first: 100000) { totalCount } }' },
    code: 'BAD_USER_INPUT',
    message: /^first must be between 0 and 1000 \(the largest page\); got 100000/,
    not: /Cost/,
    field: 'first',
  },
  {
    rule: 'page size: a nested literal first over 1000, too',
    op: { query: '{ storages(first: 10) { edges { node { pools(first: 1001) { totalCount } } } } }' },
    code: 'BAD_USER_INPUT',
    message: /^first must be between 0 and 1000 \(the largest page\); got 1001/,
    not: /Cost/,
    field: 'first',
  },
  {
    rule: 'page size: first over 1000 in a variable',
    op: { query: 'query($n: Int) { volumes(first: $n) { totalCount } }', variables: { n: 5000 } },
    code: 'BAD_USER_INPUT',
    message: /first must be between 0 and 1000/,
    field: 'first',
  },
  {
    rule: 'a variable of the wrong type',
    op: { query: 'query($id: ID!) { task(id: $id) { id } }', variables: { id: { not: 'an id' } } },
    code: 'BAD_USER_INPUT',
    message: /^Variable "\$id" got invalid value/,
  },
  {
    rule: 'an operation name the document does not hold',
    op: { query: 'query A { drivers { vendor } }', operationName: 'B' },
    code: 'OPERATION_RESOLUTION_FAILURE',
    message: /^Unknown operation named "B"\.$/,
  },
];

function system(label: string, env: NodeJS.ProcessEnv) {
  let t: TestEnv;
  let delfin: DelfinProcess;
  before(async () => {
    t = testEnv(label, env);
    delfin = await startDelfin('api', t.env);
  });
  after(async () => {
    await delfin?.stop();
    await t.cleanup();
  });
  return { url: () => delfin.url };
}

describe('every rule, over HTTP and over graphql-ws', () => {
  const api = system('oprules', { DELFIN_INTROSPECTION: 'false' });
  for (const r of RULES) {
    for (const [transport, send] of Object.entries(transports)) {
      test(`${r.rule} (${transport})`, async () => {
        const answer = await send(api.url(), r.op);
        const err = answer.errors?.[0];
        assert.ok(err, `expected an error, got ${JSON.stringify(answer)}`);
        assert.equal(err.extensions?.code, r.code, err.message);
        assert.match(err.message, r.message);
        if (r.not) assert.doesNotMatch(JSON.stringify(answer.errors), r.not);
        if (r.field) assert.equal(err.extensions?.field, r.field);
        assert.equal(err.extensions?.http, undefined, 'no transport detail leaks');
        assert.equal(answer.data ?? null, null, 'nothing ran');
      });
    }
  }
  for (const [transport, send] of Object.entries(transports)) {
    test(`the api still answers after every refusal (${transport})`, async () => {
      assert.deepEqual(await send(api.url(), { query: '{ drivers { vendor } }' }), { data: { drivers: [{ vendor: 'fake_storage' }, { vendor: 'snia' }] } });
    });
  }
});

describe('introspection on (DELFIN_INTROSPECTION=true): served on both transports', () => {
  const api = system('oprulesintro', { DELFIN_INTROSPECTION: 'true' });
  for (const [transport, send] of Object.entries(transports)) {
    test(`__schema answers (${transport})`, async () => {
      const answer = await send(api.url(), { query: '{ __schema { queryType { name } } }' });
      assert.deepEqual(answer, { data: { __schema: { queryType: { name: 'Query' } } } });
    });
  }
});
