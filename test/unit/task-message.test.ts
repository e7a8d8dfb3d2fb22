import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeliveryCount } from '../../src/bus/task-delivery.js';
import { decodeTaskMessage, encodeTaskMessage, type TaskMessage } from '../../src/bus/task-message.js';
import { TASK_KINDS } from '../../src/db/entities/enums.js';
import { backoffMs } from '../../src/tasks/runtime/task-runner.js';

const TASK = '01a21d4c-3c96-712f-b28e-31972dea6e3f';
const bytes = (s: string) => new TextEncoder().encode(s);

describe('parseDeliveryCount', () => {
  test('v1 ack subject (9 tokens): the delivered count', () => {
    assert.equal(parseDeliveryCount('$JS.ACK.delfin-tasks.worker-normal.1.17.17.1700000000000000000.0'), 1);
    assert.equal(parseDeliveryCount('$JS.ACK.delfin-tasks.worker-normal.3.17.19.1700000000000000000.5'), 3);
    assert.equal(parseDeliveryCount('$JS.ACK.S.C.42.1.1.1.0'), 42);
  });

  test('v2 ack subject (12 tokens, with domain and account hash): the delivered count', () => {
    assert.equal(parseDeliveryCount('$JS.ACK._.ACCOUNTHASH.delfin-tasks.worker-normal.4.17.19.1700000000000000000.5.random'), 4);
    assert.equal(parseDeliveryCount('$JS.ACK.hub.Abc123.S.C.7.100.90.1700000000000000000.0.xyz'), 7);
  });

  test('v2 without the trailing token (11 tokens) reads the same place', () => {
    assert.equal(parseDeliveryCount('$JS.ACK._.ACC.S.C.5.1.1.1.0'), 5);
  });

  test('the delivered count is not confused with the other numbers', () => {
    // v1: stream seq 2, consumer seq 3, pending 9 around delivered 6
    assert.equal(parseDeliveryCount('$JS.ACK.S.C.6.2.3.1700000000000000000.9'), 6);
  });

  test('garbage, empty or a token count of neither form gives 1', () => {
    for (const reply of [
      '',
      'garbage',
      '_INBOX.abc.def',
      '$JS.ACK.S.C.x.1.1.1.0', // not a number
      '$JS.ACK.S.C.0.1.1.1.0', // zero deliveries cannot be
      '$JS.ACK.S.C.-2.1.1.1.0',
      '$JS.ACK.S.C.5.1.1.1', // 8 tokens
      '$JS.ACK.S.C.5.1.1.1.0.x', // 10 tokens
      '$JS.ACK._.ACC.S.C.abc.1.1.1.0.r',
    ]) {
      assert.equal(parseDeliveryCount(reply), 1, reply);
    }
  });
});

describe('task messages', () => {
  test('encode/decode round trip for every kind', () => {
    for (const kind of TASK_KINDS) {
      const m: TaskMessage = { taskId: TASK, kind };
      assert.deepEqual(decodeTaskMessage(encodeTaskMessage(m)), m);
    }
  });

  test('the encoded message is JSON with only the id and the kind', () => {
    const text = new TextDecoder().decode(encodeTaskMessage({ taskId: TASK, kind: 'SYNC_RESOURCES' }));
    assert.deepEqual(JSON.parse(text), { taskId: TASK, kind: 'SYNC_RESOURCES' });
  });

  test('malformed JSON is undefined, not an exception', () => {
    for (const s of ['', '{', 'not json', '{"taskId": "x", kind: SYNC_RESOURCES}', '\u0000\u0001']) {
      assert.equal(decodeTaskMessage(bytes(s)), undefined, JSON.stringify(s));
    }
    assert.equal(decodeTaskMessage(new Uint8Array([0xff, 0xfe, 0xfd])), undefined);
  });

  test('JSON that is not an object is undefined', () => {
    for (const s of ['null', '42', '"SYNC_RESOURCES"', '[]', 'true']) assert.equal(decodeTaskMessage(bytes(s)), undefined, s);
  });

  test('an unknown or missing kind is undefined', () => {
    assert.equal(decodeTaskMessage(bytes(JSON.stringify({ taskId: TASK, kind: 'FORMAT_DISK' }))), undefined);
    assert.equal(decodeTaskMessage(bytes(JSON.stringify({ taskId: TASK, kind: 'sync_resources' }))), undefined);
    assert.equal(decodeTaskMessage(bytes(JSON.stringify({ taskId: TASK }))), undefined);
  });

  test('a missing or non-string taskId is undefined', () => {
    assert.equal(decodeTaskMessage(bytes(JSON.stringify({ kind: 'SYNC_RESOURCES' }))), undefined);
    assert.equal(decodeTaskMessage(bytes(JSON.stringify({ taskId: 42, kind: 'SYNC_RESOURCES' }))), undefined);
    assert.equal(decodeTaskMessage(bytes(JSON.stringify({ taskId: null, kind: 'SYNC_RESOURCES' }))), undefined);
  });
});

describe('backoffMs', () => {
  test('1 s, 2 s, 4 s, doubling per attempt', () => {
    assert.equal(backoffMs(1), 1000);
    assert.equal(backoffMs(2), 2000);
    assert.equal(backoffMs(3), 4000);
    assert.equal(backoffMs(4), 8000);
    assert.equal(backoffMs(5), 16000);
    assert.equal(backoffMs(6), 32000);
  });

  test('capped at 60 s', () => {
    assert.equal(backoffMs(7), 60_000);
    assert.equal(backoffMs(8), 60_000);
    assert.equal(backoffMs(100), 60_000);
    assert.equal(backoffMs(10_000), 60_000);
  });

  test('attempt 0 or below is the first delay', () => {
    assert.equal(backoffMs(0), 1000);
    assert.equal(backoffMs(-3), 1000);
  });

  test('never decreases as attempts grow', () => {
    let prev = 0;
    for (let a = 0; a <= 200; a++) {
      const d = backoffMs(a);
      assert.ok(d >= prev && d <= 60_000, `attempt ${a}: ${d}`);
      prev = d;
    }
  });
});
