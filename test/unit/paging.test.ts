import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/errors.js';
import { MAX_PAGE_SIZE, encodeCursor, encodeOrderedCursor, pageRequest, toConnection, type CursorOrder } from '../../src/api/services/paging.js';

const ID1 = '01a21d4c-3459-72e0-9fe5-9e5fdb7d7d22';
const ID2 = '01a21d4c-3c96-712f-b28e-31972dea6e3f';
const ID3 = '01a21d4c-4000-7000-8000-000000000003';

function badInput(field: string) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
    assert.equal(err.code, 'BAD_USER_INPUT');
    assert.deepEqual(err.details, { field });
    assert.ok(err.message.length > 0);
    return true;
  };
}

describe('pageRequest', () => {
  test('first defaults to 50 (undefined or null)', () => {
    assert.deepEqual(pageRequest(undefined, undefined), { limit: 50, afterId: undefined });
    assert.deepEqual(pageRequest(null, null), { limit: 50, afterId: undefined });
  });

  test('first within 0..1000 is taken as is', () => {
    assert.equal(MAX_PAGE_SIZE, 1000);
    assert.equal(pageRequest(0, undefined).limit, 0);
    assert.equal(pageRequest(1, undefined).limit, 1);
    assert.equal(pageRequest(1000, undefined).limit, 1000);
  });

  test('first outside 0..1000 or not whole is BAD_USER_INPUT on field first', () => {
    for (const first of [-1, 1001, 1e9, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => pageRequest(first, undefined), badInput('first'), `first=${first}`);
    }
  });

  test('the error message names the bounds and the value given', () => {
    assert.throws(
      () => pageRequest(1001, undefined),
      (err: unknown) => err instanceof AppError && /0 and 1000/.test(err.message) && /1001/.test(err.message),
    );
  });

  test('a cursor from encodeCursor comes back as the id', () => {
    for (const id of [ID1, ID2, ID3]) {
      const cursor = encodeCursor(id);
      assert.doesNotMatch(cursor, /[+/=]/, 'cursor is base64url, safe in URLs');
      assert.equal(pageRequest(10, cursor).afterId, id);
    }
  });

  test('an empty after means no cursor', () => {
    assert.equal(pageRequest(10, '').afterId, undefined);
  });

  test('a cursor that is not one of ours is BAD_USER_INPUT on field after', () => {
    const foreign = [
      'garbage!!',
      'not-a-cursor',
      Buffer.from('hello world').toString('base64url'),
      Buffer.from('12345').toString('base64'),
      Buffer.from('01a21d4c-3459-72e0-9fe5').toString('base64url'), // truncated uuid
      Buffer.from(`${ID1}x`).toString('base64url'), // uuid with a trailing character
      ID1, // the raw id, not encoded
    ];
    for (const after of foreign) {
      assert.throws(() => pageRequest(10, after), badInput('after'), `after=${after}`);
    }
  });

  test('the bad cursor message tells where cursors come from', () => {
    assert.throws(
      () => pageRequest(10, 'garbage'),
      (err: unknown) => err instanceof AppError && /endCursor/.test(err.message),
    );
  });

  test('first is checked even when after is bad (first reported first)', () => {
    assert.throws(() => pageRequest(5000, 'garbage'), badInput('first'));
  });
});

describe('toConnection', () => {
  const rows = [{ id: ID1, n: 1 }, { id: ID2, n: 2 }, { id: ID3, n: 3 }];

  test('limit + 1 rows: a next page exists, the extra row is not returned', () => {
    const c = toConnection(rows, 2, 10);
    assert.deepEqual(
      c.edges.map((e) => e.node.n),
      [1, 2],
    );
    assert.equal(c.pageInfo.hasNextPage, true);
    assert.equal(c.pageInfo.endCursor, encodeCursor(ID2));
    assert.equal(c.totalCount, 10);
  });

  test('as many rows as the limit or fewer: last page', () => {
    const full = toConnection(rows, 3, 3);
    assert.equal(full.edges.length, 3);
    assert.equal(full.pageInfo.hasNextPage, false);
    assert.equal(full.pageInfo.endCursor, encodeCursor(ID3));

    const short = toConnection(rows.slice(0, 1), 3, 1);
    assert.equal(short.pageInfo.hasNextPage, false);
    assert.equal(short.pageInfo.endCursor, encodeCursor(ID1));
  });

  test('each edge cursor decodes to its node id, so endCursor leads to the next page', () => {
    const c = toConnection(rows, 2, 3);
    for (const e of c.edges) assert.equal(pageRequest(2, e.cursor).afterId, e.node.id);
    assert.equal(pageRequest(2, c.pageInfo.endCursor).afterId, ID2);
  });

  test('empty page: no edges, endCursor null, no next page', () => {
    const c = toConnection([], 50, 0);
    assert.deepEqual(c.edges, []);
    assert.equal(c.pageInfo.endCursor, null);
    assert.equal(c.pageInfo.hasNextPage, false);
    assert.equal(c.totalCount, 0);
  });

  test('first: 0 returns no edges but still tells whether rows exist', () => {
    const c = toConnection(rows.slice(0, 1), 0, 7);
    assert.deepEqual(c.edges, []);
    assert.equal(c.pageInfo.endCursor, null);
    assert.equal(c.pageInfo.hasNextPage, true);
    assert.equal(c.totalCount, 7);
  });
});

describe('cursors of an ordered list', () => {
  const byName: CursorOrder = { name: 'NAME ASC', isKey: () => true };
  const byNameDesc: CursorOrder = { name: 'NAME DESC', isKey: () => true };
  const byCapacity: CursorOrder = { name: 'TOTAL_CAPACITY ASC', isKey: (k) => /^\d+$/.test(k) };

  test('a cursor carries the order, the value and the id back', () => {
    const cursor = encodeOrderedCursor(byName, 'vol "7", ünïcode', ID1);
    assert.doesNotMatch(cursor, /[+/=]/);
    assert.deepEqual(pageRequest(10, cursor, byName), { limit: 10, afterId: ID1, afterKey: 'vol "7", ünïcode' });
  });

  test('a cursor of another order, the other direction, or no order is BAD_USER_INPUT on after', () => {
    const named = encodeOrderedCursor(byName, 'a', ID1);
    assert.throws(() => pageRequest(10, named, byNameDesc), badInput('after'));
    assert.throws(() => pageRequest(10, named, byCapacity), badInput('after'));
    assert.throws(() => pageRequest(10, named), badInput('after'));
    assert.throws(() => pageRequest(10, encodeCursor(ID1), byName), badInput('after'));
    assert.throws(() => pageRequest(10, named, byNameDesc), (err: unknown) => err instanceof AppError && /NAME ASC/.test(err.message) && /NAME DESC/.test(err.message));
  });

  test('a value the order cannot have, or a made-up cursor, is BAD_USER_INPUT on after', () => {
    assert.throws(() => pageRequest(10, encodeOrderedCursor(byCapacity, '1 or 1=1', ID1), byCapacity), badInput('after'));
    for (const text of ['["NAME ASC","a"]', '["NAME ASC","a","not-an-id"]', '["NAME ASC",1,"x"]', '[', '{"a":1}']) {
      assert.throws(() => pageRequest(10, Buffer.from(text).toString('base64url'), byName), badInput('after'), text);
    }
  });

  test('totalCount is counted once, and only when read', async () => {
    let counted = 0;
    const c = toConnection([{ id: ID1 }], 10, async () => ++counted);
    assert.equal(counted, 0);
    assert.equal(await c.totalCount, 1);
    assert.equal(await c.totalCount, 1);
    assert.equal(counted, 1);
  });
});
