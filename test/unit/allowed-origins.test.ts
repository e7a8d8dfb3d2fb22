import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OriginPolicy } from '../../src/api/websocket/allowed-origins.js';

test('no Origin (a program), the same host and port as the request, and listed origins are allowed', () => {
  const p = new OriginPolicy(['https://ops.example.com']);
  assert.equal(p.allows(undefined, '127.0.0.1:4000'), true);
  assert.equal(p.allows('http://127.0.0.1:4000', '127.0.0.1:4000'), true);
  assert.equal(p.allows('http://LOCALHOST:4000', 'localhost:4000'), true);
  assert.equal(p.allows('https://ops.example.com', '127.0.0.1:4000'), true);
});

test('anything else is refused: other sites, other ports, look-alike hosts, "null", garbage', () => {
  const p = new OriginPolicy(['https://ops.example.com']);
  for (const origin of ['http://evil.example', 'http://127.0.0.1:4001', 'http://127.0.0.1.evil.example:4000', 'null', 'file://', 'http://ops.example.com', '']) {
    assert.equal(p.allows(origin, '127.0.0.1:4000'), false, origin);
  }
  assert.equal(p.allows('http://127.0.0.1:4000', undefined), false);
});
