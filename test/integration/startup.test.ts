// Start-up: a bad setting or a service that cannot be reached ends start-up at once with one
// line saying what and how to fix it; the database is created and migrated when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.js';
import { startDelfin } from '../support/system.js';
import { withDb } from '../support/db.js';
import { portAnswers } from '../../src/lib/ports.js';
import { refusingPostgres } from '../support/refusing-postgres.js';
import { startPrivateNats } from '../support/nats-server.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));

/** Runs a role to its end (not in sync: a test's own server must go on answering meanwhile). */
async function run(role: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...role.split(' ')], { env, encoding: 'utf8', timeout: 30_000 }, (err, _stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr }),
    );
  });
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('delfin:'));
  return { ...r, lines };
}

/** A stack trace's frames, as an unexpected error prints them. */
const STACK = /^\s+at /m;

const ROLES = ['api', 'worker', 'scheduler', 'alerts receive', 'all'];

test('an unreachable NATS ends start-up with one line naming it and how to start it', async () => {
  const t = testEnv('startup_nats', { NATS_URL: 'nats://127.0.0.1:1' });
  try {
    const r = await run('worker', t.env);
    assert.equal(r.code, 1);
    assert.equal(r.lines.length, 1, r.stderr);
    assert.match(r.lines[0]!, /^delfin: NATS is not reachable at nats:\/\/127\.0\.0\.1:1 .*nats-server -js.*NATS_URL/);
  } finally {
    await t.cleanup(); // the role made its database (and stream) before refusing
  }
});

test('a NATS server without JetStream ends start-up with one line saying to turn it on, not a wait', async () => {
  const nats = await startPrivateNats({ jetstream: false });
  const t = testEnv('startup_nojs', { NATS_URL: nats.url });
  try {
    const t0 = Date.now();
    const r = await run('worker', t.env);
    assert.equal(r.code, 1);
    assert.equal(r.lines.length, 1, r.stderr);
    assert.match(r.lines[0]!, /^delfin: NATS JetStream is not reachable at nats:\/\/127\.0\.0\.1:\d+ \(jetstream is not enabled\): .*JetStream on \(`-js`\)/);
    assert.doesNotMatch(r.stderr, STACK);
    // Refused after the few seconds a starting node may need, not after bus.startWaitSeconds (300).
    assert.ok(Date.now() - t0 < 25_000, `refused after ${Date.now() - t0} ms`);
  } finally {
    await t.cleanup();
    await nats.destroy();
  }
});

test('an unreachable PostgreSQL ends start-up with one line naming it and how to start it', async () => {
  const t = testEnv('startup_pg', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/delfin_x' });
  const r = await run('api', t.env);
  assert.equal(r.code, 1);
  assert.equal(r.lines.length, 1, r.stderr);
  assert.match(r.lines[0]!, /^delfin: PostgreSQL is not reachable at postgres:\/\/postgres@127\.0\.0\.1:1\/delfin_x .*DATABASE_URL/);
});

test('every role, given a closed port or a server that drops the connection, says so in one line: no stack, no password', async () => {
  const dropping = await refusingPostgres(0, 'close');
  try {
    for (const url of ['postgres://postgres:s3cret-pw@127.0.0.1:1/delfin_x', dropping.url('delfin_x', 'postgres:s3cret-pw')]) {
      for (const role of ROLES) {
        const r = await run(role, { ...testEnv('startup_pgdown').env, DATABASE_URL: url, SCHEDULER_BACKEND: 'postgres' });
        assert.equal(r.code, 1, `${role}: ${r.stderr}`);
        assert.equal(r.lines.length, 1, `${role}: ${r.stderr}`);
        assert.match(r.lines[0]!, /^delfin: PostgreSQL is not reachable at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/delfin_x \(.+\): start PostgreSQL .*DATABASE_URL/, role);
        assert.doesNotMatch(r.stderr, STACK, `${role}: no stack trace`);
        assert.doesNotMatch(r.stderr, /s3cret-pw/, `${role}: no password`);
      }
    }
  } finally {
    await dropping.close();
  }
});

test('every role refused by PostgreSQL at start (too many clients, after a first connection got in) says so in one line: no stack, no password', async () => {
  for (const role of ROLES) {
    // The first connection (creating the database) gets in; the next ones, the migration's, are refused.
    const server = await refusingPostgres(1);
    const t = testEnv('startup_pgfull');
    try {
      const url = server.url(new URL(t.databaseUrl).pathname.slice(1), 'postgres:s3cret-pw');
      const r = await run(role, { ...t.env, DATABASE_URL: url, SCHEDULER_BACKEND: 'postgres' });
      assert.equal(r.code, 1, `${role}: ${r.stderr}`);
      assert.equal(r.lines.length, 1, `${role}: ${r.stderr}`);
      assert.match(
        r.lines[0]!,
        /^delfin: PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/delfin_\w+ refused the connection \(sorry, too many clients already\): check DATABASE_URL .*accepts connections/,
        role,
      );
      assert.doesNotMatch(r.stderr, STACK, `${role}: no stack trace`);
      assert.doesNotMatch(r.stderr, /s3cret-pw/, `${role}: no password`);
    } finally {
      await server.close();
      await t.cleanup(); // the first connection made the database
    }
  }
});

test("an unreachable MongoDB (MONGODB_URL set) ends the scheduler's start-up with one line naming it; no stand-in replaces it", async () => {
  const t = testEnv('startup_mongo', { MONGODB_URL: 'mongodb://127.0.0.1:1/delfin' });
  try {
    const r = await run('scheduler', t.env);
    assert.equal(r.code, 1);
    assert.equal(r.lines.length, 1, r.stderr);
    assert.match(r.lines[0]!, /^delfin: MongoDB \(the scheduler's job store\) is not reachable at mongodb:\/\/127\.0\.0\.1:1\/delfin .*MONGODB_URL.*SCHEDULER_BACKEND=postgres/);
    assert.doesNotMatch(r.stderr, /stand-in/);
  } finally {
    await t.cleanup(); // the role made its database (and stream) before refusing
  }
});

test('in production, no MongoDB at the default address is an error, never the in-memory stand-in', async (ctx) => {
  if (await portAnswers('127.0.0.1', 27017)) return ctx.skip('a MongoDB answers on 127.0.0.1:27017 here');
  const t = testEnv('startup_prod', { NODE_ENV: 'production', MONGODB_URL: '' });
  try {
    const r = await run('scheduler', t.env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.lines[0] ?? '', /^delfin: MongoDB \(the scheduler's job store\) is not reachable at mongodb:\/\/127\.0\.0\.1:27017\/delfin/);
    assert.doesNotMatch(r.stderr, /stand-in/);
  } finally {
    await t.cleanup(); // the role made its database (and stream) before refusing
  }
});

test('a bad setting ends start-up with a sentence naming it', async () => {
  const t = testEnv('startup_cfg', { PORT: 'eighty', DELFIN_NAMESPACE: 'a.b' });
  const r = await run('all', t.env);
  assert.equal(r.code, 1);
  assert.equal(r.lines.length, 1, r.stderr);
  assert.match(r.lines[0]!, /PORT/);
  assert.match(r.lines[0]!, /DELFIN_NAMESPACE.*prefixes NATS/);
});

test('a missing database is created and migrated at start', async () => {
  const t = testEnv('startup_db');
  const delfin = await startDelfin('api', t.env);
  try {
    const tables = await withDb(t.databaseUrl, (c) =>
      c.query(`select table_name from information_schema.tables where table_schema = 'public' order by 1`),
    );
    const names = tables.rows.map((r) => r.table_name);
    for (const table of ['access_info', 'storage', 'storage_lease', 'storage_pool', 'sync_schedule', 'task', 'task_run', 'volume']) {
      assert.ok(names.includes(table), `table ${table} exists`);
    }
  } finally {
    assert.equal(await delfin.stop(), 0);
    await t.cleanup();
  }
});

test('without tokens the api refuses to listen beyond loopback: one line, exit 1', async () => {
  const t = testEnv('startup_open', { HOST: '0.0.0.0', DELFIN_TOKENS: '' });
  try {
    for (const role of ['api', 'all']) {
      const r = await run(role, t.env);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.lines.length, 1, r.stderr);
      assert.match(r.lines[0]!, /^delfin: HOST=0\.0\.0\.0 is not a loopback address and no token is configured: set DELFIN_TOKENS .*delfin token create/);
    }
    // A worker listens nowhere: HOST does not concern it.
    assert.doesNotMatch((await run('worker', { ...t.env, NATS_URL: 'nats://127.0.0.1:1' })).stderr, /loopback/);
  } finally {
    await t.cleanup(); // the role made its database (and stream) before refusing
  }
});

test('without tokens on loopback the api starts and warns that it serves loopback clients only; with tokens it listens on 0.0.0.0', async () => {
  const t = testEnv('startup_loop', { DELFIN_TOKENS: '' });
  const local = await startDelfin('api', t.env);
  try {
    assert.match(local.output(), /no tokens configured.*only loopback clients are served/);
  } finally {
    await local.stop();
  }
  const open = await startDelfin('api', { ...t.env, HOST: '0.0.0.0', DELFIN_TOKENS: `viewer:${'v'.repeat(32)}` });
  try {
    assert.doesNotMatch(open.output(), /no tokens configured/);
    const res = await fetch(open.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ drivers { vendor } }"}' });
    assert.equal(res.status, 401);
  } finally {
    await open.stop();
    await t.cleanup();
  }
});
