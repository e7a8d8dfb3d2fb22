// Writes sent with a transaction's commit (src/db/commit-batch.ts) carry their parameters as
// literals in the text. Each value must read back as the same parameter would have: checked on
// the real PostgreSQL with the awkward ones (quotes, backslashes, braces and commas in array
// elements, JSON, dates, nulls, non-ASCII text). And the batch is part of the transaction: a
// statement of it that fails rolls back everything before it. Statements with parameters are
// prepared once per connection (src/db/prepared-statements.ts), within a bound.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { openDatabase } from '../../src/db/database.js';
import { Sql } from '../../src/db/sql.js';
import { inlineParameters } from '../../src/db/commit-batch.js';
import { MAX_PREPARED_PER_CONNECTION } from '../../src/db/prepared-statements.js';

const t = testEnv('sqlroundtrips');
let orm: Awaited<ReturnType<typeof openDatabase>>;
let sql: Sql;

before(async () => {
  orm = await openDatabase(t.databaseUrl, { log: () => undefined });
  sql = new Sql(t.databaseUrl);
  await sql.query('create table batch_probe (id int primary key, a text[], j jsonb[], at timestamptz, x float8[], note text)');
});

after(async () => {
  await sql?.close();
  await orm?.close(true);
  await t.cleanup();
});

const AWKWARD = [
  [`it's`, 'back\\slash', '{braces}', 'comma, here', '"quoted"', 'ünïcødé ✓', '', 'NULL'],
  [JSON.stringify({ kind: 'SYNC_RESOURCES', quote: `o'brien`, nested: { list: [1, '{x}'] } }), JSON.stringify({ empty: '' })],
  new Date('2026-12-01T23:59:58.123Z'),
  [0.1, -2.5e-9, 1e21],
  null,
] as const;

test('a value inlined reads back as the same value sent as a parameter', async () => {
  const text = 'insert into batch_probe (id, a, j, at, x, note) values ($1, $2::text[], $3::jsonb[], $4, $5::float8[], $6)';
  await sql.query(text, [1, ...AWKWARD]);
  await sql.query(inlineParameters(text, [2, ...AWKWARD]));
  const [asParameter, inlined] = await sql.query('select a, j, at, x, note from batch_probe order by id');
  assert.deepEqual(inlined, asParameter);
  assert.deepEqual(asParameter!.a, AWKWARD[0]);
});

test('writes gathered for the commit are written with it, and one that fails rolls back the whole transaction', async () => {
  await sql.tx(async (q, _opened, atCommit) => {
    await q.query('insert into batch_probe (id, note) values (10, $1)', ['now']);
    await atCommit.query('update batch_probe set note = $2 where id = $1', [10, `at commit, it's`]);
    const before = await q.query('select note from batch_probe where id = 10');
    assert.equal(before.rows[0]!.note, 'now', 'not written before the commit');
  });
  assert.deepEqual(await sql.query('select note from batch_probe where id = 10'), [{ note: `at commit, it's` }]);

  await assert.rejects(
    sql.tx(async (q, _opened, atCommit) => {
      await q.query('insert into batch_probe (id, note) values (11, $1)', ['rolled back']);
      await atCommit.query('insert into batch_probe (id, note) values ($1, $2)', [10, 'a duplicate key']);
    }),
    /duplicate key/,
  );
  assert.deepEqual(await sql.query('select id from batch_probe where id = 11'), [], 'the failed commit kept nothing of its transaction');
});

test('a statement with parameters is prepared once per connection, and a connection holds a bounded number of them', async () => {
  await sql.withClient(async (client) => {
    const prepared = async () => (await client.query(`select statement from pg_prepared_statements where name like 'delfin_%'`)).rows.map((r) => r.statement as string);
    const before = (await prepared()).length;
    for (let i = 0; i < 3; i++) assert.deepEqual((await client.query('select $1::int + 1 as n', [i])).rows, [{ n: i + 1 }]);
    const after = await prepared();
    assert.equal(after.filter((s) => s === 'select $1::int + 1 as n').length, 1, 'prepared once, run three times');
    // Texts made per call (here, distinct numbers of placeholders) stop being prepared at the cap; they still run.
    for (let n = 1; n <= MAX_PREPARED_PER_CONNECTION + 20; n++) {
      const text = `select ${Array.from({ length: n }, (_, i) => `$${i + 1}::int`).join(' + ')} as total`;
      assert.equal((await client.query(text, Array(n).fill(1))).rows[0]!.total, n);
    }
    assert.equal((await prepared()).length, MAX_PREPARED_PER_CONNECTION, `at most ${MAX_PREPARED_PER_CONNECTION} (there were ${before} before)`);
  });
});
