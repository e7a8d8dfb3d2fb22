// The Swordfish transport against a real local HTTPS server with a self-signed certificate (made
// by openssl), pinned by its fingerprint: connections are kept alive and shared by the driver
// instances of one array, never more than its request limit, and closing one instance ends its
// own requests only. (The emulator closes every connection, so it cannot show these.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpsTransport } from '../../src/drivers/swordfish/https-transport.js';
import { normalizeFingerprint } from '../../src/drivers/tls-trust.js';

const LIMIT = 2;
let server: https.Server;
let port: number;
let pin: string;
let connections = 0;
let inFlight = 0;
let mostInFlight = 0;
const sockets = new Set<Socket>();
/** Answers of /held, sent when a test releases them. */
const held: Array<() => void> = [];

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'delfin-transport-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=array.test',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    pin = normalizeFingerprint(new X509Certificate(cert).fingerprint256)!;
    server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      const answer = () => {
        inFlight--;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ path: req.url }));
      };
      if (req.url === '/held') held.push(answer);
      else setImmediate(answer);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  server.on('secureConnection', () => connections++);
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

/** A driver instance's transport, trusting the server's self-signed certificate by its pin. */
const transport = () =>
  new HttpsTransport({ host: '127.0.0.1', port, caCertificate: null, certificateFingerprint: pin, verifyTls: true, connections: LIMIT, timeoutMs: 5000 });

test('connections are kept alive, shared by the instances of one array, and never more than its limit', async () => {
  const first = transport();
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => first.request({ method: 'GET', path: `/r/${i}` })));
  assert.deepEqual(answers.map((a) => a.status), Array(8).fill(200));
  assert.equal(JSON.parse(answers[7]!.body).path, '/r/7');
  assert.ok(connections >= 1 && connections <= LIMIT, `${connections} connections for 8 requests`);
  assert.ok(mostInFlight <= LIMIT, `${mostInFlight} requests in flight`);

  const opened = connections;
  const second = transport();
  assert.equal((await second.request({ method: 'GET', path: '/again' })).status, 200);
  assert.equal(connections, opened, 'a second driver instance reuses the kept connections');
  first.close();
  second.close();
});

test('closing one instance ends its own request; another instance of the array goes on', async () => {
  const closing = transport();
  const other = transport();
  const pending = closing.request({ method: 'GET', path: '/held' });
  while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
  closing.close();
  await assert.rejects(pending, /driver is closed/);
  await assert.rejects(closing.request({ method: 'GET', path: '/r' }), /driver is closed/);
  assert.equal((await other.request({ method: 'GET', path: '/r' })).status, 200);
  for (const answer of held.splice(0)) answer();
  other.close();
});
