import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';

test('errors that mean PostgreSQL is away, and errors that are mistakes', () => {
  for (const e of [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    Object.assign(new Error('database "x" is not currently accepting connections'), { code: '55000' }),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('wrapped'), { name: 'DriverException', cause: Object.assign(new Error('x'), { code: '08006' }) }),
  ]) assert.ok(isDatabaseUnavailable(e), e.message);
  for (const e of [
    Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
    Object.assign(new Error('syntax error at or near "selct"'), { code: '42601' }),
    Object.assign(new Error('out of memory'), { code: '53200' }),
    new Error('something else'),
    null,
    'text',
  ]) assert.ok(!isDatabaseUnavailable(e), String(e));
});
