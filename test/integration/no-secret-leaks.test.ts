// Secrets stay secret (architecture.md rule 6): a full scenario at LOG_LEVEL=debug, then every
// place a password or token could end up is searched for them: the process's stdout and stderr,
// every GraphQL answer (HTTP and WebSocket), every row of every table, every NATS message of the
// namespace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import WebSocket from 'ws';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { subscribe } from '../support/graphql.js';
import { withDb } from '../support/db.js';
import { REGISTER, STORAGE, SYNC, TASK, UPDATE_ACCESS } from '../support/operations.js';
import { DELETE_STORAGE } from '../support/tasks.js';
import { newToken } from '../../src/auth/tokens.js';
import { SecretBox } from '../../src/db/secrets.js';

const mark = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;
const PASSWORD = mark('Pw1Secret');
const PASSWORD2 = mark('Pw2Secret');
const WRONG = mark('PwWrong');
const ADMIN = newToken();
const BAD_TOKEN = newToken();
const SECRETS = { PASSWORD, PASSWORD2, WRONG, ADMIN, BAD_TOKEN };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const t = testEnv('noleaks', { DELFIN_TOKENS: `admin:${ADMIN}`, NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
let delfin: DelfinProcess;
let nc: NatsConnection;
const natsMessages: string[] = [];
const answers: string[] = [];
const dbDumps: string[] = [];

before(async () => {
  nc = await connect({ servers: t.env.NATS_URL! });
  const sub = nc.subscribe(`${t.namespace}.>`);
  void (async () => {
    for await (const m of sub) natsMessages.push(`${m.subject} ${m.string()}`);
  })();
  delfin = await startDelfin('all', t.env, 30_000, { logLevel: 'debug' });
});

after(async () => {
  await delfin.stop();
  await nc.close();
  await t.cleanup();
});

/** Posts an operation, keeps the raw answer for the search, returns it parsed. */
async function call(query: string, variables: Record<string, unknown> = {}, token: string = ADMIN): Promise<any> {
  const res = await fetch(delfin.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  answers.push(text);
  return JSON.parse(text);
}

async function taskEnds(id: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const { data } = await call(TASK, { id });
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(data.task?.status)) return data.task;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${id} did not end`);
}

async function dumpDatabase(): Promise<string> {
  return withDb(t.databaseUrl, async (c) => {
    const tables = (await c.query(`select table_name from information_schema.tables where table_schema = 'public'`)).rows.map((r) => r.table_name as string);
    const parts: string[] = [];
    for (const table of tables) {
      const { rows } = await c.query(`select row_to_json(x)::text as j from "${table}" x`);
      parts.push(...rows.map((r) => `${table} ${r.j}`));
    }
    return parts.join('\n');
  });
}

const rest = (host: string, password: string) => ({ host, port: 8443, username: 'admin', password });

test('a full scenario leaves no password and no token in logs, answers, rows or events', async () => {
  const events = subscribe(delfin.url, 'subscription { taskEvents { type task { id status message error } } }', {}, ADMIN);

  // Register an array that has a password, sync it twice.
  const input = { vendor: 'fake_storage', model: 'fake_driver', rest: rest('10.9.0.1', PASSWORD), extraAttributes: { volumes: 30, passwordSha256: sha(PASSWORD) } };
  const reg = await call(REGISTER, { input });
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  const id = reg.data.registerStorage.id;
  const first = (await call(`query($s: ID) { tasks(storageId: $s) { edges { node { id } } } }`, { s: id })).data.tasks.edges[0].node.id;
  assert.equal((await taskEnds(first)).status, 'SUCCEEDED');
  assert.equal((await taskEnds((await call(SYNC, { id })).data.syncStorage.id)).status, 'SUCCEEDED');

  // New password on the array and in the access info; then a sync that needs it.
  const upd = await call(UPDATE_ACCESS, { id, input: { rest: rest('10.9.0.1', PASSWORD2), extraAttributes: { volumes: 30, passwordSha256: sha(PASSWORD2) } } });
  assert.equal(upd.errors, undefined, JSON.stringify(upd.errors));
  assert.equal((await taskEnds((await call(SYNC, { id })).data.syncStorage.id)).status, 'SUCCEEDED');
  const withPassword = await dumpDatabase();
  dbDumps.push(withPassword);

  // Refused: a wrong password (registration and update), a bad field next to a password, a bad token.
  const wrongReg = await call(REGISTER, { input: { ...input, rest: rest('10.9.0.2', WRONG) } });
  assert.equal(wrongReg.errors[0].extensions.code, 'DRIVER_ERROR');
  assert.match(wrongReg.errors[0].message, /wrong password/);
  const wrongUpd = await call(UPDATE_ACCESS, { id, input: { rest: rest('10.9.0.1', WRONG) } });
  assert.equal(wrongUpd.errors[0].extensions.code, 'DRIVER_ERROR');
  const badPort = await call(REGISTER, { input: { ...input, rest: { ...rest('10.9.0.3', WRONG), port: 70000 } } });
  assert.equal(badPort.errors[0].extensions.code, 'BAD_USER_INPUT');
  const badType = await call(REGISTER, { input: { ...input, rest: { ...rest('10.9.0.3', WRONG), port: 'eighty' } } });
  assert.ok(badType.errors[0].extensions.code);
  const badToken = await call('{ storages { totalCount } }', {}, BAD_TOKEN);
  assert.equal(badToken.errors[0].extensions.code, 'UNAUTHENTICATED');
  await new Promise<void>((resolve) => {
    const ws = new WebSocket(delfin.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${BAD_TOKEN}` } })));
    ws.on('message', (d) => answers.push(String(d)));
    ws.on('close', (code, reason) => {
      answers.push(`${code} ${String(reason)}`);
      resolve();
    });
  });

  // Read it back, then delete it.
  const shown = await call(STORAGE, { id, first: 5 });
  assert.equal(shown.data.storage.accessInfo.rest.username, 'admin');
  assert.equal((await taskEnds((await call(DELETE_STORAGE, { id })).data.deleteStorage.id)).status, 'SUCCEEDED');
  await events.close();
  answers.push(...events.received.map((e) => JSON.stringify(e)));
  dbDumps.push(await dumpDatabase());
  await new Promise((r) => setTimeout(r, 300)); // the last NATS messages

  const places: Record<string, string> = {
    'process output (LOG_LEVEL=debug)': delfin.output(),
    'GraphQL answers': answers.join('\n'),
    'database rows': dbDumps.join('\n'),
    'NATS messages': natsMessages.join('\n'),
  };
  // The search is not vacuous: each place holds what the scenario did.
  assert.match(places['process output (LOG_LEVEL=debug)']!, /"level":20/, 'debug lines were logged');
  assert.match(places['process output (LOG_LEVEL=debug)']!, /task delivered/);
  assert.ok(answers.length > 15 && events.received.length > 5, 'answers and events were captured');
  assert.ok(natsMessages.some((m) => m.includes(id)), 'NATS messages of the storage were captured');
  const sealed = /"passwordEncrypted": ?"(v1:[^"]+)"/.exec(withPassword)?.[1];
  assert.equal(SecretBox.fromKeyText(t.env.DELFIN_SECRET_KEY!).decrypt(sealed!), PASSWORD2, 'the rows searched held the password, encrypted');
  assert.match(places['database rows']!, /refused the login|task/);

  for (const [where, text] of Object.entries(places)) {
    for (const [name, secret] of Object.entries(SECRETS)) {
      assert.ok(!text.includes(secret), `${name} appears in the ${where}`);
    }
  }
});
