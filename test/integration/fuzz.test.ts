// Fuzz: thousands of operations generated from the schema (random fields and arguments, wrong
// types, huge numbers, unicode, deep nesting, unknown arguments) and mutated as text, sent to a
// real api over HTTP and graphql-ws. No answer may be an internal error or a 5xx or hold a
// secret (a registered storage's password, the secret key), the process must not crash, and it
// must still answer afterwards. Seeded: FUZZ_SEED=<n> replays a run, FUZZ_SEED=random draws a
// new one (printed); FUZZ_HTTP and FUZZ_WS set the counts (`npm run soak` goes 10 000 deep).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { policyFile } from '../support/policy-file.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { createSchema } from '../../src/api/schema.js';
import { prng, type Rng } from '../support/prng.js';

// A fixed seed by default, so `npm test` is repeatable; FUZZ_SEED=random explores new inputs.
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20261127);
const HTTP_OPERATIONS = Number(process.env.FUZZ_HTTP ?? 4000);
const WS_OPERATIONS = Number(process.env.FUZZ_WS ?? 500);

const t = testEnv('fuzz', { SCHEDULER_BACKEND: 'postgres', DELFIN_CONFIG: policyFile({ drivers: { callTimeoutSeconds: 2 } }) });
let delfin: DelfinProcess;
let schema: GraphQLSchema;
/** A stored storage's password: no answer may hold it, nor the secret key. */
const PASSWORD = `fuzz-password-${randomBytes(8).toString('hex')}`;
const SECRETS = [PASSWORD, t.env.DELFIN_SECRET_KEY!];
const leaks = (text: string) => SECRETS.some((s) => text.includes(s));

before(async () => {
  delfin = await startDelfin('api', t.env);
  schema = await createSchema();
  const input = fakeInput('10.77.0.1');
  await gql(delfin.url, REGISTER, { input: { ...input, rest: { ...input.rest, password: PASSWORD } } });
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});


const STRINGS = ['', ' ', 'x', 'ü∂ß😀', '\u0000', '\u202e', '"quoted"', '\\', '01a21d6d-75d3-7275-b872-3b7143a52ef2', 'fake_storage', 'fake_driver',
  '10.0.0.1', '::1', '* * * * *', '0 */6 * * *', '2026-11-27T14:34:05.410Z', 'not-a-date', 'x'.repeat(5000), '${x}', 'DROP TABLE storage;--', 'NaN'];
const NUMBERS = [0, -1, 1, 59, 60, 65535, 65536, 1000, 1001, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, 0.5, -0.0];

function randomJson(r: Rng, depth: number): unknown {
  const kind = depth > 6 ? r.int(4) : r.int(7);
  if (kind === 0) return r.pick(STRINGS);
  if (kind === 1) return r.pick(NUMBERS);
  if (kind === 2) return r.chance(0.5);
  if (kind === 3) return null;
  if (kind === 4) return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(['a', 'pools', 'volumes', 'seed', 'zz', 'ü', '']) + r.int(3), randomJson(r, depth + 1)]));
}

/** A value for an input type: usually well-typed, sometimes wrong, huge or strange. */
function inputValue(r: Rng, type: GraphQLInputType, depth = 0): unknown {
  if (r.chance(0.06)) return randomJson(r, depth + 3); // any type at all
  if (isNonNullType(type)) return inputValue(r, type.ofType, depth);
  if (r.chance(0.08)) return null;
  if (isListType(type)) return Array.from({ length: r.int(4) }, () => inputValue(r, type.ofType, depth + 1));
  if (isEnumType(type)) return r.chance(0.9) ? r.pick(type.getValues()).value : r.pick(STRINGS);
  if (isInputObjectType(type)) {
    if (depth > 8) return {};
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) || r.chance(0.6)) out[f.name] = inputValue(r, f.type, depth + 1);
    if (r.chance(0.05)) out[`unknown${r.int(9)}`] = randomJson(r, depth);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return r.pick(NUMBERS);
      case 'Boolean':
        return r.chance(0.5);
      case 'JSON':
        return r.chance(0.1) ? deep(r.int(40)) : randomJson(r, depth);
      default:
        return r.pick(STRINGS);
    }
  }
  return null;
}

const deep = (n: number): unknown => (n === 0 ? 1 : { d: deep(n - 1) });

/** A selection set for an object type, a few levels down. */
function selection(r: Rng, type: GraphQLObjectType, depth: number): string {
  const fields = Object.values(type.getFields());
  const picked = Array.from({ length: 1 + r.int(4) }, () => r.pick(fields));
  const parts = picked.map((f) => field(r, f, depth + 1, false));
  if (r.chance(0.03)) parts.push(`unknownField${r.int(5)}`);
  return `{ ${[...new Set(parts)].join(' ')} }`;
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  return `{ ${Object.entries(v as object).map(([k, x]) => `${/^[A-Za-z_]\w*$/.test(k) ? k : 'k'}: ${literal(x)}`).join(', ')} }`;
}

const variables: Record<string, unknown> = {};
const declarations: string[] = [];

function field(r: Rng, f: GraphQLField<unknown, unknown>, depth: number, root: boolean): string {
  const args = f.args.filter((a) => isNonNullType(a.type) || r.chance(0.5)).map((a) => {
    const value = inputValue(r, a.type);
    if (root && r.chance(0.5)) {
      const name = `v${declarations.length}`;
      declarations.push(`$${name}: ${String(a.type)}`);
      variables[name] = value;
      return `${a.name}: $${name}`;
    }
    // Enum values are written bare in a document.
    const named = getNamedType(a.type);
    return `${a.name}: ${isEnumType(named) && typeof value === 'string' && /^[A-Z_]+$/.test(value) ? value : literal(value)}`;
  });
  if (r.chance(0.04)) args.push(`bogus: ${literal(randomJson(r, 0))}`);
  const head = `${f.name}${args.length ? `(${args.join(', ')})` : ''}`;
  const named = getNamedType(getNullableType(f.type));
  if (isLeafType(named)) return r.chance(0.03) ? `${head} { id }` : head;
  if (isObjectType(named) && depth < 1 + r.int(9)) return `${head} ${selection(r, named, depth)}`;
  return `${head} { __typename }`;
}

function generate(r: Rng): { query: string; variables: Record<string, unknown> } {
  declarations.length = 0;
  for (const k of Object.keys(variables)) delete variables[k];
  const kind = r.pick(['query', 'query', 'mutation', 'subscription'] as const);
  const root = kind === 'query' ? schema.getQueryType()! : kind === 'mutation' ? schema.getMutationType()! : schema.getSubscriptionType()!;
  const f = r.pick(Object.values(root.getFields()));
  const body = field(r, f, 0, true);
  let query = `${kind}${declarations.length ? `(${declarations.join(', ')})` : ''} { ${body} }`;
  if (r.chance(0.25)) query = mutate(r, query);
  return { query, variables: r.chance(0.05) ? (randomJson(r, 0) as Record<string, unknown>) : { ...variables } };
}

const NOISE = ['{', '}', '(', ')', '[', ']', ':', '$', '@', '!', '"', '\\', '...', '#', 'ü', '😀', '\u0000', ' ', '\n', '999999999999999999999', 'fragment', 'on'];

/** Text-level damage: delete, insert, duplicate or swap pieces. */
function mutate(r: Rng, text: string): string {
  let s = text;
  for (let i = 1 + r.int(3); i > 0; i--) {
    const at = r.int(s.length + 1);
    const op = r.int(4);
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + r.int(10));
    else if (op === 1) s = s.slice(0, at) + r.pick(NOISE) + s.slice(at);
    else if (op === 2) s = s.slice(0, at) + s.slice(at, at + 1 + r.int(30)).repeat(1 + r.int(4)) + s.slice(at);
    else s = s.slice(at) + s.slice(0, at);
  }
  return s;
}

interface Tally {
  sent: number;
  errors: Record<string, number>;
  data: number;
}

function count(tally: Tally, body: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } | undefined) {
  tally.sent++;
  if (body?.data) tally.data++;
  for (const e of body?.errors ?? []) {
    const code = e.extensions?.code ?? 'NO_CODE';
    tally.errors[code] = (tally.errors[code] ?? 0) + 1;
  }
}

/** A graphql-ws connection, acknowledged; its close codes go to `codes`. */
function openSocket(codes: number[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(delfin.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    ws.on('message', (d) => JSON.parse(String(d)).type === 'connection_ack' && resolve(ws));
    ws.on('close', (code) => codes.push(code));
    ws.on('error', reject);
  });
}

/** The first answer to one operation (or none within 300 ms), then the operation is completed. */
function wsOperation(ws: WebSocket, op: { id: string; query: string; variables: unknown }): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData) => {
      const m = JSON.parse(String(d));
      if (m.id !== op.id) return;
      if (m.type === 'next') finish(m.payload);
      else if (m.type === 'error') finish({ errors: m.payload });
      else if (m.type === 'complete') finish(undefined);
    };
    const finish = (body: any) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id: op.id, type: 'complete' }));
      resolve(body);
    };
    const onClose = () => finish({ errors: [{ extensions: { code: 'SOCKET_CLOSED' } }] });
    const timer = setTimeout(() => finish(undefined), 300);
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(JSON.stringify({ id: op.id, type: 'subscribe', payload: { query: op.query, variables: op.variables } }));
  });
}

test(`fuzz: ${HTTP_OPERATIONS} operations over HTTP and ${WS_OPERATIONS} over graphql-ws, seed ${SEED}`, async (ctx) => {
  const r = prng(SEED);
  const http: Tally = { sent: 0, errors: {}, data: 0 };
  const failures: string[] = [];
  const started = Date.now();
  const CONCURRENCY = 8;
  for (let i = 0; i < HTTP_OPERATIONS; i += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, HTTP_OPERATIONS - i) }, () => generate(r));
    await Promise.all(
      batch.map(async (op) => {
        const res = await fetch(delfin.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(op) });
        const text = await res.text();
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          failures.push(`HTTP ${res.status}, not JSON: ${text.slice(0, 200)} <- ${op.query.slice(0, 300)}`);
        }
        count(http, body);
        const internal = body?.errors?.some((e: any) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
        if (res.status >= 500 || internal) failures.push(`HTTP ${res.status} ${text.slice(0, 300)} <- ${JSON.stringify(op).slice(0, 500)}`);
        if (leaks(text)) failures.push(`HTTP answer holds a secret <- ${JSON.stringify(op).slice(0, 500)}`);
      }),
    );
    assert.equal(delfin.proc.exitCode, null, `the api exited (seed ${SEED}, after ${http.sent})`);
  }

  const ws: Tally = { sent: 0, errors: {}, data: 0 };
  const closeCodes: number[] = [];
  let socket = await openSocket(closeCodes);
  for (let i = 0; i < WS_OPERATIONS; i += 10) {
    // A socket the server closed (say, on a message over the size limit) is opened again.
    if (socket.readyState !== WebSocket.OPEN) socket = await openSocket(closeCodes);
    const batch = Array.from({ length: Math.min(10, WS_OPERATIONS - i) }, (_, k) => ({ id: `${i + k}`, ...generate(r) }));
    await Promise.all(batch.map((op) => wsOperation(socket, op).then((body) => {
      count(ws, body);
      if (body?.errors?.some((e: any) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) failures.push(`WS ${JSON.stringify(body).slice(0, 300)} <- ${op.query.slice(0, 300)}`);
      if (leaks(JSON.stringify(body ?? null))) failures.push(`WS answer holds a secret <- ${op.query.slice(0, 300)}`);
    })));
  }
  socket.close();

  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  ctx.diagnostic(`seed ${SEED}: ${http.sent} HTTP operations (${http.data} with data) and ${ws.sent} graphql-ws operations in ${elapsed} s`);
  ctx.diagnostic(`HTTP error codes ${JSON.stringify(http.errors)}; graphql-ws ${JSON.stringify(ws.errors)}`);
  console.log(`fuzz: seed ${SEED}, ${http.sent + ws.sent} operations (${http.sent} HTTP, ${ws.sent} graphql-ws) in ${elapsed} s`);
  assert.deepEqual(failures.slice(0, 5), [], `seed ${SEED}: ${failures.length} internal errors or secrets in answers`);
  ctx.diagnostic(`graphql-ws close codes: ${JSON.stringify(closeCodes)}`);
  assert.ok(!closeCodes.includes(4500), `the WebSocket closed with an internal error (seed ${SEED})`);
  assert.doesNotMatch(delfin.output(), /unexpected error in a resolver/, `seed ${SEED}`);
  const res = await fetch(delfin.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ drivers { vendor } }"}' });
  assert.deepEqual(await res.json(), { data: { drivers: [{ vendor: 'fake_storage' }, { vendor: 'snia' }] } });
});
