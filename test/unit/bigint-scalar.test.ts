import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError, parseValue as parseAst } from 'graphql';
import { BigIntScalar } from '../../src/api/scalars.js';

function badInput(err: unknown): true {
  assert.ok(err instanceof GraphQLError, `expected GraphQLError, got ${String(err)}`);
  assert.equal(err.extensions.code, 'BAD_USER_INPUT');
  assert.match(err.message, /BigInt/);
  return true;
}

const ABOVE_2_53 = 9007199254740993n; // 2^53 + 1: a float would round it to ...992

describe('BigInt scalar: serialize', () => {
  test('bigint, number and string become decimal strings', () => {
    assert.equal(BigIntScalar.serialize(123n), '123');
    assert.equal(BigIntScalar.serialize(0n), '0');
    assert.equal(BigIntScalar.serialize(-42n), '-42');
    assert.equal(BigIntScalar.serialize(123), '123');
    assert.equal(BigIntScalar.serialize(0), '0');
    assert.equal(BigIntScalar.serialize(Number.MAX_SAFE_INTEGER), '9007199254740991');
    assert.equal(BigIntScalar.serialize('123'), '123');
    assert.equal(BigIntScalar.serialize('-7'), '-7');
  });

  test('values above 2^53 are exact', () => {
    assert.equal(BigIntScalar.serialize(ABOVE_2_53), '9007199254740993');
    assert.equal(BigIntScalar.serialize(2n ** 100n), '1267650600228229401496703205376');
    // the decimal string PostgreSQL returns for a bigint column
    assert.equal(BigIntScalar.serialize('9223372036854775807'), '9223372036854775807');
  });

  test('a string with leading zeros is normalised', () => {
    assert.equal(BigIntScalar.serialize('007'), '7');
  });

  test('non-integers cannot be serialized', () => {
    for (const v of [1.5, Number.NaN, 2 ** 60, '1.5', 'abc', null, undefined, true, {}]) {
      assert.throws(() => BigIntScalar.serialize(v), badInput, `value ${String(v)}`);
    }
  });
});

describe('BigInt scalar: parseValue (variables)', () => {
  test('from a decimal string, exact above 2^53', () => {
    assert.equal(BigIntScalar.parseValue('123'), 123n);
    assert.equal(BigIntScalar.parseValue('-123'), -123n);
    assert.equal(BigIntScalar.parseValue('9007199254740993'), ABOVE_2_53);
    assert.equal(BigIntScalar.parseValue('123456789012345678901234567890'), 123456789012345678901234567890n);
  });

  test('from a safe integer', () => {
    assert.equal(BigIntScalar.parseValue(0), 0n);
    assert.equal(BigIntScalar.parseValue(42), 42n);
    assert.equal(BigIntScalar.parseValue(-42), -42n);
    assert.equal(BigIntScalar.parseValue(Number.MAX_SAFE_INTEGER), 9007199254740991n);
    assert.equal(BigIntScalar.parseValue(Number.MIN_SAFE_INTEGER), -9007199254740991n);
  });

  test('returns a bigint', () => {
    assert.equal(typeof BigIntScalar.parseValue('5'), 'bigint');
    assert.equal(typeof BigIntScalar.parseValue(5), 'bigint');
  });

  test('floats are refused with BAD_USER_INPUT', () => {
    for (const v of [1.5, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => BigIntScalar.parseValue(v), badInput);
  });

  test('unsafe numbers (already rounded) are refused with BAD_USER_INPUT', () => {
    for (const v of [2 ** 53, Number.MAX_SAFE_INTEGER + 2, -(2 ** 60), 1e21]) {
      assert.throws(() => BigIntScalar.parseValue(v), badInput, `value ${v}`);
    }
  });

  test('non-numeric strings are refused with BAD_USER_INPUT', () => {
    for (const v of ['', 'abc', '12abc', '1.5', '1e10', ' 12', '12 ', '+12', '0x10', '--1', '1_000']) {
      assert.throws(() => BigIntScalar.parseValue(v), badInput, `value ${JSON.stringify(v)}`);
    }
  });

  test('other types are refused with BAD_USER_INPUT', () => {
    for (const v of [null, undefined, true, [], {}]) assert.throws(() => BigIntScalar.parseValue(v), badInput);
  });

  test('the message shows the value given', () => {
    assert.throws(() => BigIntScalar.parseValue('12abc'), (err: unknown) => err instanceof GraphQLError && err.message.includes('"12abc"'));
  });
});

describe('BigInt scalar: parseLiteral (inline in the query)', () => {
  test('an IntValue, exact above 2^53', () => {
    assert.equal(BigIntScalar.parseLiteral(parseAst('123')), 123n);
    assert.equal(BigIntScalar.parseLiteral(parseAst('-5')), -5n);
    assert.equal(BigIntScalar.parseLiteral(parseAst('9007199254740993')), ABOVE_2_53);
  });

  test('a StringValue', () => {
    assert.equal(BigIntScalar.parseLiteral(parseAst('"123"')), 123n);
    assert.equal(BigIntScalar.parseLiteral(parseAst('"123456789012345678901234567890"')), 123456789012345678901234567890n);
  });

  test('a StringValue that is not a whole number is refused with BAD_USER_INPUT', () => {
    for (const s of ['"abc"', '"1.5"', '""']) assert.throws(() => BigIntScalar.parseLiteral(parseAst(s)), badInput, s);
  });

  test('other literals (float, boolean, null, list, object, enum) are refused with BAD_USER_INPUT', () => {
    for (const s of ['1.5', 'true', 'null', '[1]', '{a: 1}', 'ONE']) {
      assert.throws(() => BigIntScalar.parseLiteral(parseAst(s)), badInput, s);
    }
  });

  test('the scalar is named BigInt', () => {
    assert.equal(BigIntScalar.name, 'BigInt');
  });
});
