// The per-socket kernel drop count the trap receiver reports (/proc/net/udp): read for a real
// socket of this process, absent for a port nothing listens on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { udpSocketDrops } from '../../src/alerts/kernel-drops.js';

const linux = existsSync('/proc/net/udp');

test('a bound UDP socket has a drop count (0 when nothing overflowed); an unbound port has none', { skip: !linux && 'no /proc/net/udp' }, async () => {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  try {
    assert.equal(udpSocketDrops(port, 'udp4'), 0);
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
  assert.equal(udpSocketDrops(port, 'udp4'), undefined, 'closed: no longer listed');
});
