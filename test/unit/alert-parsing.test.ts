// Alert sources' validation, the simulator's trap format, the fallback for traps no driver
// reads, and the v3 engine id read from a raw message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAlertSource, normalizeAddress } from '../../src/alerts/alert-source.js';
import { parseTrap } from '../../src/alerts/parse-trap.js';
import { snmpVersionOf, v3Engine, v3EngineId } from '../../src/alerts/v3-engine-id.js';
import { EngineClock } from '../../src/alerts/engine-clock.js';
import { fakeDriverDescriptor } from '../../src/drivers/index.js';
import type { SnmpTrap } from '../../src/drivers/driver.js';
import { AppError } from '../../src/errors.js';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'BAD_USER_INPUT');
    return err.details.field;
  }
  return undefined;
};

test('alert source input: each mistake names its field', () => {
  const v3 = { host: '10.0.0.1', version: 'V3' as const, username: 'u', authProtocol: 'SHA' as const, authKey: '12345678' };
  assert.equal(fieldOf(() => validateAlertSource('s', { ...v3, username: null })), 'username');
  assert.equal(fieldOf(() => validateAlertSource('s', { ...v3, authKey: '1234567' })), 'authKey');
  assert.equal(fieldOf(() => validateAlertSource('s', { ...v3, authProtocol: 'SHA3' as never })), 'authProtocol');
  assert.equal(fieldOf(() => validateAlertSource('s', { ...v3, privacyProtocol: 'AES' })), 'privacyKey');
  assert.equal(fieldOf(() => validateAlertSource('s', { ...v3, engineId: '0x0102030405' + 'a' })), 'engineId');
  assert.equal(fieldOf(() => validateAlertSource('s', { ...v3, engineId: '01'.repeat(33) })), 'engineId');
  assert.equal(fieldOf(() => validateAlertSource('s', { ...v3, host: 'array.example' })), 'host');
  assert.equal(fieldOf(() => validateAlertSource('s', { host: '10.0.0.1', version: 'V2C', community: 'c', username: 'u' })), 'username');
  const ok = validateAlertSource('s', { ...v3, engineId: '0x80000000AB', host: '::ffff:10.0.0.1' });
  assert.equal(ok.engineId, '80000000ab');
  assert.equal(ok.host, '10.0.0.1');
  assert.equal(normalizeAddress('[FE80::1]'), 'fe80::1');
});

const trap = (trapOid: string, varbinds: Array<[number, string]>): SnmpTrap => ({
  version: 'V2C',
  trapOid,
  varbinds: varbinds.map(([n, value]) => ({ oid: `1.3.6.1.4.1.32473.1.1.${n}`, type: 'OctetString', value })),
  senderAddress: '10.0.0.1',
  receivedAt: new Date(0),
});

test('the simulator parses its raised and cleared traps exactly', () => {
  const raised = parseTrap(fakeDriverDescriptor, trap('1.3.6.1.4.1.32473.1.0.1', [[1, 'A1'], [2, 'Name'], [3, 'Fatal'], [4, 'Recovery'], [5, 'Desc'], [6, 'Loc'], [7, '77'], [8, 'Pool']]), 'f');
  assert.deepEqual(raised, { kind: 'raised', alertId: 'A1', alertName: 'Name', severity: 'FATAL', category: 'RECOVERY', description: 'Desc', location: 'Loc', resourceType: 'Pool', sequenceNumber: '77' });
  const cleared = parseTrap(fakeDriverDescriptor, trap('1.3.6.1.4.1.32473.1.0.2', [[7, '77']]), 'f');
  assert.equal(cleared.kind, 'cleared');
  assert.equal(cleared.sequenceNumber, '77');
});

test('a trap no driver reads is kept NOT_SPECIFIED with its OID and varbinds', () => {
  const a = parseTrap(fakeDriverDescriptor, trap('1.3.6.1.4.1.1.2', [[3, 'x']]), 'abc');
  assert.equal(a.severity, 'NOT_SPECIFIED');
  assert.equal(a.category, 'NOT_SPECIFIED');
  assert.equal(a.sequenceNumber, 'trap-abc');
  assert.match(a.description, /1\.3\.6\.1\.4\.1\.1\.2.*1\.3\.6\.1\.4\.1\.32473\.1\.1\.3 = x/);
  // A simulator trap without its sequence number is not the simulator's to read.
  assert.equal(parseTrap(fakeDriverDescriptor, trap('1.3.6.1.4.1.32473.1.0.1', [[1, 'A1']]), 'z').severity, 'NOT_SPECIFIED');
});

test('the engine id of a v3 message is read from its header; malformed datagrams give none', () => {
  // SEQUENCE { INTEGER 3, SEQUENCE {..}, OCTET STRING { SEQUENCE { OCTET STRING 80 00 1f 88 01, INTEGER 5, INTEGER 256 } } }
  const usm = Buffer.from([0x30, 0x0e, 0x04, 0x05, 0x80, 0x00, 0x1f, 0x88, 0x01, 0x02, 0x01, 0x05, 0x02, 0x02, 0x01, 0x00]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x03, 0x30, 0x03, 0x02, 0x01, 0x00, 0x04, usm.length]), usm]);
  const message = Buffer.concat([Buffer.from([0x30, body.length]), body]);
  assert.equal(snmpVersionOf(message), 3);
  assert.equal(v3EngineId(message), '80001f8801');
  assert.deepEqual(v3Engine(message), { engineId: '80001f8801', boots: 5, time: 256 });
  assert.equal(v3EngineId(message.subarray(0, 12)), undefined);
  assert.equal(v3EngineId(Buffer.from('not snmp')), undefined);
  assert.equal(snmpVersionOf(Buffer.alloc(0)), undefined);
});

test('engine clock: a later boot or time is learnt; older than 150 s, or an earlier boot, is refused', () => {
  const clock = new EngineClock();
  assert.equal(clock.accept('e', 3, 1000, 0), true);
  assert.equal(clock.accept('e', 3, 900, 0), true, 'within the window');
  assert.equal(clock.accept('e', 3, 849, 0), false, 'older than 150 s');
  assert.equal(clock.accept('e', 2, 5000, 0), false, 'an earlier boot');
  // Time moves on locally: after 100 s, 1000 + 100 - 150 = 950 is the oldest taken.
  assert.equal(clock.accept('e', 3, 949, 100_000), false);
  assert.equal(clock.accept('e', 3, 950, 100_000), true);
  assert.equal(clock.accept('e', 4, 1, 100_000), true, 'a reboot');
  assert.equal(clock.accept('e', 3, 10_000, 100_000), false);
  assert.equal(clock.accept('e', 2147483647, 1, 0), false);
});
