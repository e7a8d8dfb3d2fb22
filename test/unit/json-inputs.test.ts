// The bounds on JSON inputs without a server: the scalar measures any depth without recursion,
// and the scan of an operation's text finds a literal nested too deep (naming its field) while
// braces inside strings, block strings and comments, and selection sets, do not count.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError, parse, Kind, type ValueNode } from 'graphql';
import { deepLiteralError } from '../../src/api/deep-literals.js';
import { JSONScalar, jsonDepth, setJsonLimits, jsonLimits } from '../../src/api/json-scalar.js';

const JSON_FIELDS = new Set(['extraAttributes']);
const nested = (levels: number) => '{a: '.repeat(levels - 1) + '{leaf: 1}' + '}'.repeat(levels - 1);
const register = (extra: string) => `mutation { registerStorage(input: {vendor: "v", extraAttributes: ${extra}}) { id } }`;

describe('jsonDepth', () => {
  test('counts levels of objects and lists; a scalar is 0', () => {
    assert.equal(jsonDepth(1), 0);
    assert.equal(jsonDepth({}), 1);
    assert.equal(jsonDepth({ a: [1, { b: null }] }), 3);
  });

  test('a value 100 000 levels deep is measured without overflowing the stack', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = [v];
    assert.equal(jsonDepth(v, 32), 33, 'stops just past the limit');
    assert.equal(jsonDepth(v), 100_000);
  });
});

describe('the JSON scalar', () => {
  test('parseValue and parseLiteral refuse a value over the depth or the size, with BAD_USER_INPUT', () => {
    const saved = jsonLimits();
    setJsonLimits({ maxDepth: 3, maxBytes: 64 });
    try {
      assert.deepEqual(JSONScalar.parseValue({ a: { b: [1] } }), { a: { b: [1] } });
      for (const bad of [{ a: { b: { c: [1] } } }, { blob: 'x'.repeat(100) }]) {
        assert.throws(() => JSONScalar.parseValue(bad), (e: GraphQLError) => e.extensions.code === 'BAD_USER_INPUT');
      }
      const literal = (text: string) => (parse(`{ f(x: ${text}) }`).definitions[0] as any).selectionSet.selections[0].arguments[0].value as ValueNode;
      assert.deepEqual(JSONScalar.parseLiteral(literal('{a: [1, "s", true, null, 2.5]}'), {}), { a: [1, 's', true, null, 2.5] });
      assert.deepEqual(JSONScalar.parseLiteral(literal('{a: $v}'), { v: [1] }), { a: [1] });
      assert.throws(() => JSONScalar.parseLiteral(literal('{a: {b: {c: [1]}}}'), {}), /at most 3 levels/);
      assert.equal(literal('{}').kind, Kind.OBJECT);
    } finally {
      setJsonLimits(saved);
    }
  });
});

describe('deepLiteralError', () => {
  test('a literal within the limit passes; one past it is BAD_USER_INPUT naming the field', () => {
    assert.equal(deepLiteralError(register(nested(32)), 32, JSON_FIELDS), undefined);
    const err = deepLiteralError(register(nested(33)), 32, JSON_FIELDS)!;
    assert.equal(err.extensions.code, 'BAD_USER_INPUT');
    assert.equal(err.extensions.field, 'input.extraAttributes');
    assert.match(err.message, /^input\.extraAttributes: a JSON value may nest at most 32 levels/);
  });

  test('5 000 levels are found without recursion, in a list too', () => {
    assert.equal(deepLiteralError(register(nested(5000)), 32, JSON_FIELDS)?.extensions.field, 'input.extraAttributes');
    const list = '['.repeat(5000) + ']'.repeat(5000);
    assert.equal(deepLiteralError(register(list), 32, JSON_FIELDS)?.extensions.field, 'input.extraAttributes');
  });

  test('deep nesting under a name that is not JSON is refused past the input objects around JSON values', () => {
    const deep = `mutation { syncStorage(id: "x", options: ${nested(60)}) { id } }`;
    assert.equal(deepLiteralError(deep, 32, JSON_FIELDS)?.extensions.field, 'options');
    assert.equal(deepLiteralError(`mutation { syncStorage(id: "x", options: ${nested(40)}) { id } }`, 32, JSON_FIELDS), undefined);
  });

  test('braces in strings, block strings and comments, and selection sets, do not count', () => {
    const braces = '{'.repeat(100);
    const text = `# ${braces}
      query { storages { edges { node { pools { edges { node { id } } } } } } }
      mutation { registerStorage(input: {vendor: "${braces}", extraAttributes: {note: """ ${braces} \\""" ${braces} """}}) { id } }`;
    assert.equal(deepLiteralError(text, 4, JSON_FIELDS), undefined);
  });

  test('the count starts again with each argument list', () => {
    const two = `mutation { a: registerStorage(input: {extraAttributes: ${nested(20)}}) { id } b: registerStorage(input: {extraAttributes: ${nested(20)}}) { id } }`;
    assert.equal(deepLiteralError(two, 32, JSON_FIELDS), undefined);
  });
});
