// Which failures of the Swordfish transport mean "the array is out of reach" (UnreachableError:
// the storage goes OFFLINE) and which mean "it answered, wrongly" (a plain DriverError), against
// real local sockets: nothing listening, a connection cut, a silent peer, a peer that is not TLS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { DriverError, UnreachableError } from '../../src/drivers/driver-error.js';
import { ConnectionError, HttpsTransport } from '../../src/drivers/swordfish/https-transport.js';
import { freePort } from '../../src/lib/ports.js';

function transport(port: number, timeoutMs = 2000): HttpsTransport {
  return new HttpsTransport({ host: '127.0.0.1', port, caCertificate: null, certificateFingerprint: null, verifyTls: false, connections: 4, timeoutMs });
}

/** A TCP server that does `onConnection` with each socket; closed after `fn`. */
async function withServer(onConnection: (socket: net.Socket) => void, fn: (port: number) => Promise<void>): Promise<void> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn((server.address() as net.AddressInfo).port);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function failure(t: HttpsTransport): Promise<Error> {
  try {
    await t.request({ method: 'GET', path: '/redfish/v1/' });
  } catch (err) {
    return err as Error;
  } finally {
    t.close();
  }
  throw new Error('expected the request to fail');
}

test('nothing listening: unreachable, connection refused, not retried', async () => {
  const port = await freePort();
  const err = await failure(transport(port));
  assert.ok(err instanceof UnreachableError, String(err));
  assert.equal(err.message, `cannot reach 127.0.0.1:${port}: connection refused`);
  assert.equal((err as ConnectionError).retryable, false);
});

test('the connection cut by the peer: unreachable, and a GET may retry it', async () => {
  await withServer((s) => s.destroy(), async (port) => {
    const err = await failure(transport(port));
    assert.ok(err instanceof UnreachableError, String(err));
    assert.match(err.message, new RegExp(`^the connection to 127\\.0\\.0\\.1:${port} failed: `));
    assert.equal((err as ConnectionError).retryable, true);
  });
});

test('a peer that never answers: unreachable after the request timeout', async () => {
  await withServer(() => undefined, async (port) => {
    const err = await failure(transport(port, 300));
    assert.ok(err instanceof UnreachableError, String(err));
    assert.equal(err.message, `127.0.0.1:${port} did not answer GET /redfish/v1/ within 300 ms`);
  });
});

test('a peer that answers but is not TLS: a driver error, not an outage', async () => {
  await withServer((s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'), async (port) => {
    const err = await failure(transport(port));
    assert.ok(err instanceof DriverError, String(err));
    assert.ok(!(err instanceof UnreachableError), `not unreachable: ${err.message}`);
    assert.match(err.message, new RegExp(`^the connection to 127\\.0\\.0\\.1:${port} failed: `));
  });
});
