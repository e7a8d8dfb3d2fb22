import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cannotConnect, databaseConnectError } from '../../src/db/connect-error.js';
import { ServiceUnreachableError } from '../../src/lib/service-unreachable.js';

const URL = 'postgres://delfin:s3cret@db.example:6543/delfin';
const err = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

test('a server refusing the connection (full, starting, a wrong password, no database) is one line saying so, without the password', () => {
  for (const [code, message] of [['53300', 'sorry, too many clients already'], ['57P03', 'the database system is starting up'], ['28P01', 'password authentication failed for user "delfin"'], ['3D000', 'database "delfin" does not exist']]) {
    const line = databaseConnectError(err(message, { code }), URL)?.message;
    assert.equal(line, `PostgreSQL at postgres://delfin:***@db.example:6543/delfin refused the connection (${message}): check DATABASE_URL (user, password, database) and that the server accepts connections (max_connections, pg_hba.conf).`);
  }
  // MikroORM's wrapper: the driver's words.
  const wrapped = err('select 1 - sorry, too many clients already', { name: 'DriverException', code: '53300', cause: err('sorry, too many clients already', { code: '53300' }) });
  assert.match(databaseConnectError(wrapped, URL)!.message, /refused the connection \(sorry, too many clients already\)/);
});

test('nothing at the address, or a dropped connection, is "not reachable" with how to start it', () => {
  const refused = err('connect ECONNREFUSED 10.0.0.1:6543', { code: 'ECONNREFUSED', address: '10.0.0.1', port: 6543 });
  assert.match(databaseConnectError(refused, URL)!.message, /^PostgreSQL is not reachable at postgres:\/\/delfin:\*\*\*@db\.example:6543\/delfin \(connect ECONNREFUSED 10\.0\.0\.1:6543\): start PostgreSQL/);
  assert.match(databaseConnectError(new Error('Connection terminated unexpectedly'), URL)!.message, /not reachable .*\(Connection terminated unexpectedly\)/);
  const both = new AggregateError([err('connect ECONNREFUSED ::1:6543', { code: 'ECONNREFUSED', port: 6543 })], '');
  assert.match(databaseConnectError(Object.assign(both, { code: 'ECONNREFUSED' }), URL)!.message, /not reachable .*\(ECONNREFUSED\)/);
});

test("other errors are not the database's connection: a statement's mistake, a socket at another port", () => {
  assert.equal(databaseConnectError(err('duplicate key value violates unique constraint', { code: '23505' }), URL), undefined);
  assert.equal(databaseConnectError(err('connect ECONNREFUSED 127.0.0.1:4222', { code: 'ECONNREFUSED', port: 4222 }), URL), undefined);
  assert.equal(databaseConnectError(new Error('something else'), URL), undefined);
  const nats = new ServiceUnreachableError('NATS', 'nats://127.0.0.1:1', 'start it');
  assert.equal(databaseConnectError(nats, URL), nats, 'already one line: kept');
  assert.match(cannotConnect(new Error('self-signed certificate'), URL).message, /^PostgreSQL is not reachable at .*\(self-signed certificate\)/);
});
