// The bus not answering (found by the soak: a NATS node's full disk made JetStream requests time
// out, and cancelTask and deleteStorage answered INTERNAL_SERVER_ERROR) is UNAVAILABLE for a client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoRespondersError, RequestError, TimeoutError, ClosedConnectionError } from '@nats-io/transport-node';
import { JetStreamApiError } from '@nats-io/jetstream';
import { isBusUnavailable } from '../../src/bus/bus-unavailable.js';
import { toGraphQLError } from '../../src/api/rules/error-handling.js';
import { createLogger } from '../../src/logger.js';
import { busUnavailable } from '../../src/tasks/queueing/enqueue.js';

const apiError = (code: number, description: string) => new JetStreamApiError({ code, err_code: 10000, description });

test('errors that mean the bus did not answer, and errors that are mistakes', () => {
  for (const e of [
    new TimeoutError(),
    new RequestError('no responders', { cause: new NoRespondersError('$JS.API.CONSUMER.INFO.x.y') }),
    new ClosedConnectionError(),
    apiError(503, 'JetStream system temporarily unavailable'),
    apiError(500, 'insufficient resources'),
    apiError(500, 'no suitable peers for placement'),
  ]) assert.ok(isBusUnavailable(e), e.message);
  for (const e of [apiError(404, 'stream not found'), apiError(400, 'bad request'), new Error('something else'), null, 'text']) {
    assert.ok(!isBusUnavailable(e), String(e));
  }
});

test('a resolver that meets a bus that does not answer says UNAVAILABLE, try again', () => {
  const err = toGraphQLError(new TimeoutError(), createLogger('silent', 'test'));
  assert.equal(err.extensions.code, 'UNAVAILABLE');
  assert.match(err.message, /NATS JetStream.*try again/);
});

test('a publish no stream took (JetStream off, or a stream leader that stopped taking messages) says so, with what to do', () => {
  const noStream = Object.assign(new Error('jetstream is not enabled'), { name: 'JetStreamNotEnabled' });
  const err = busUnavailable(noStream) as Error & { extensions?: { code?: string } };
  assert.match(err.message, /nothing was changed; try again \(no stream took the message: JetStream is off on the server, or the task stream's leader node stopped taking messages and needs a restart\)/);
  assert.match(busUnavailable(new TimeoutError()).message, /try again \(timeout\)/);
});
