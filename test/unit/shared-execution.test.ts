import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { sharedSubscribe } from '../../src/api/subscriptions/shared-execution.js';

/** A source the test feeds by hand, recording whether it was released. */
function source() {
  const waiting: Array<(r: IteratorResult<object>) => void> = [];
  const state = { returned: 0 };
  const it: AsyncIterableIterator<object> = {
    next: () => new Promise((r) => waiting.push(r)),
    async return() {
      state.returned += 1;
      for (const w of waiting.splice(0)) w({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { it, state, push: (e: object) => waiting.shift()?.({ value: e, done: false }) };
}

function schemaOver(sources: Array<ReturnType<typeof source>>, calls: { n: number }) {
  let next = 0;
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { x: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        events: {
          type: new GraphQLObjectType({ name: 'E', fields: { n: { type: GraphQLInt }, tag: { type: GraphQLString } } }),
          args: { tag: { type: GraphQLString } },
          subscribe: () => sources[next++]!.it,
          resolve: (e: { n: number }, args: { tag?: string }) => {
            calls.n += 1;
            return { n: e.n, tag: args.tag ?? null };
          },
        },
      },
    }),
  });
}

/** graphql-js builds results on null-prototype objects. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const asGen = (r: unknown) => r as AsyncGenerator<ExecutionResult>;

describe('sharedSubscribe', () => {
  test('subscribers of the same operation share one execution per event; other variables get their own', async () => {
    const sources = [source(), source(), source()];
    const calls = { n: 0 };
    const schema = schemaOver(sources, calls);
    const doc = 'subscription($tag: String) { events(tag: $tag) { n tag } }';
    const subs = await Promise.all([
      sharedSubscribe({ schema, document: parse(doc), variableValues: { tag: 'a' } }),
      sharedSubscribe({ schema, document: parse(doc), variableValues: { tag: 'a' } }),
      sharedSubscribe({ schema, document: parse(doc), variableValues: { tag: 'b' } }),
    ]).then((x) => x.map(asGen));
    const pending = subs.map((s) => s.next());
    const event = { n: 7 };
    for (const s of sources) s.push(event); // the relay hands every stream the same object
    const results = await Promise.all(pending);
    assert.deepEqual(plain(results.map((r) => r.value?.data)), [{ events: { n: 7, tag: 'a' } }, { events: { n: 7, tag: 'a' } }, { events: { n: 7, tag: 'b' } }]);
    assert.equal(calls.n, 2, 'one execution for "a", one for "b"');
    assert.equal(results[0]!.value, results[1]!.value, 'the same result object');

    const again = subs.map((s) => s.next());
    for (const s of sources) s.push({ n: 8 }); // distinct objects: nothing to share
    assert.deepEqual(plain((await Promise.all(again)).map((r) => r.value?.data?.events)), [{ n: 8, tag: 'a' }, { n: 8, tag: 'a' }, { n: 8, tag: 'b' }]);
    assert.equal(calls.n, 5);
  });

  test('return() releases the source at once, even while a next() is pending', async () => {
    const src = source();
    const schema = schemaOver([src], { n: 0 });
    const sub = asGen(await sharedSubscribe({ schema, document: parse('subscription { events { n } }') }));
    const pending = sub.next();
    assert.deepEqual(await sub.return(undefined), { value: undefined, done: true });
    assert.equal(src.state.returned, 1, 'the source was released without waiting for an event');
    assert.deepEqual(await pending, { value: undefined, done: true });
  });

  test('an operation that cannot subscribe returns its errors', async () => {
    const schema = schemaOver([], { n: 0 });
    const r = (await sharedSubscribe({ schema, document: parse('subscription { events { n } }') })) as ExecutionResult;
    assert.ok(r.errors?.length);
  });

  test('with sendNext, a result is serialised once and sent by it, in order; a result with errors is yielded', async () => {
    const sources = [source(), source()];
    const calls = { n: 0 };
    const schema = schemaOver(sources, calls);
    const doc = 'subscription { events { n } }';
    const sent: string[][] = [[], []];
    const stringify = JSON.stringify;
    let stringified = 0;
    JSON.stringify = ((...a: Parameters<typeof stringify>) => ((stringified += 1), stringify(...a))) as typeof stringify;
    try {
      const subs = await Promise.all(
        [0, 1].map(async (k) => asGen(await sharedSubscribe({ schema, document: parse(doc), sendNext: async (json) => void sent[k]!.push(json) }))),
      );
      const pending = subs.map((s) => s.next()); // sends every event until one needs graphql-ws
      stringified = 0;
      for (const e of [{ n: 1 }, { n: 2 }]) {
        for (const s of sources) s.push(e);
        await new Promise((r) => setImmediate(r));
      }
      const data = (n: number) => `{"data":{"events":{"n":${n}}}}`;
      assert.deepEqual(sent, [[data(1), data(2)], [data(1), data(2)]]);
      assert.equal(calls.n, 2, 'one execution per event');
      assert.equal(stringified, 2, 'one serialisation per event, shared by both subscribers');
      const failing = { n: 'not a number' }; // Int cannot represent it: a result with errors
      for (const s of sources) s.push(failing);
      const results = await Promise.all(pending);
      assert.ok(results.every((r) => !r.done && r.value.errors?.length), 'yielded, for graphql-ws to format');
      assert.equal(sent[0]!.length, 2);
      const ended = subs[0]!.next();
      await subs[0]!.return(undefined);
      assert.deepEqual(await ended, { value: undefined, done: true });
      await subs[1]!.return(undefined);
    } finally {
      JSON.stringify = stringify;
    }
  });
});
