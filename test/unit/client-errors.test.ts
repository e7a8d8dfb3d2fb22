// What a client sees of an error (src/api/client-errors.ts), for the cases a running system
// cannot be made to show on demand: a failure outside any resolver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { clientError } from '../../src/api/rules/client-errors.js';
import { AppError } from '../../src/errors.js';

function capturingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

test('an unexpected failure outside a resolver (a subscription stream, say) is masked and logged', () => {
  const { logger, lines } = capturingLogger();
  // As graphql-ws wraps an error thrown while a subscription's events are read.
  const raw = new Error('connect to nats-7.internal:4222 failed: secret reason');
  const wrapped = new GraphQLError(raw.message, { originalError: raw });
  const shown = clientError(wrapped.toJSON(), wrapped, logger);
  assert.equal(shown.extensions?.code, 'INTERNAL_SERVER_ERROR');
  assert.doesNotMatch(JSON.stringify(shown), /nats-7|secret/);
  assert.match(shown.message, /^Internal server error/);
  assert.match(lines.join(''), /secret reason/, 'the operator finds it in the log');
});

test('a known error thrown outside a resolver keeps its code and sentence', () => {
  const { logger } = capturingLogger();
  const raw = new AppError('NOT_FOUND', 'No task has the id x.', { id: 'x' });
  const wrapped = new GraphQLError(raw.message, { originalError: raw });
  assert.deepEqual(clientError(wrapped.toJSON(), wrapped, logger), { message: 'No task has the id x.', extensions: { code: 'NOT_FOUND', id: 'x' } });
});

test('a suggestion is hidden whatever it suggests; an error without a code gets one', () => {
  const { logger } = capturingLogger();
  const err = new GraphQLError('Value "NORMALL" does not exist in "StorageStatus" enum. Did you mean the enum value "NORMAL" or "ABNORMAL"?');
  assert.deepEqual(clientError(err.toJSON(), err, logger), {
    message: 'Value "NORMALL" does not exist in "StorageStatus" enum. [Suggestion hidden]',
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
});
