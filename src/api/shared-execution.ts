// graphql-ws runs a subscription's selection once per event and per subscriber. With a thousand
// subscribers of the same events that is a thousand identical executions (type-graphql's
// middleware and argument validation included) per event: the api fell seconds behind a single
// sync. Here an event offered to many subscribers (the relay hands every stream the same decoded
// object) is executed once per distinct operation (document and variables), and the result is
// shared. It relies on a subscription's result depending on the event, the document and the
// variables and the caller's role (every subscription needs only the viewer role, but the role
// joins the key so a result is never shared across roles should one ever narrow it).
import {
  createSourceEventStream,
  execute,
  print,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

/** Results per event object (gone with the event) and operation key. */
const shared = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

/** graphql-js `subscribe`, with executions shared between subscribers of the same operation. */
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source; // the operation's errors
  const role = (args.contextValue as { principal?: { role?: string } } | undefined)?.principal?.role ?? '';
  const key = `${role}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${print(args.document)}`;
  const it = source[Symbol.asyncIterator]();
  const run = (event: unknown) =>
    Promise.resolve(execute({ ...args, contextValue: contextForEvent(args.contextValue), rootValue: event }) as Promise<ExecutionResult> | ExecutionResult);
  const resultOf = (event: unknown): Promise<ExecutionResult> => {
    if (typeof event !== 'object' || event === null) return run(event);
    let results = shared.get(event);
    if (!results) shared.set(event, (results = new Map()));
    let result = results.get(key);
    if (!result) results.set(key, (result = run(event)));
    return result;
  };
  // Not an async generator: a generator's return() waits for its pending next(), so a client
  // leaving an idle subscription would stay registered until the next event.
  const results = {
    async next() {
      const r = await it.next();
      return r.done ? { value: undefined, done: true } : { value: await resultOf(r.value), done: false };
    },
    async return() {
      await it.return?.();
      return { value: undefined, done: true };
    },
    async throw(err: unknown) {
      await it.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return results as unknown as AsyncGenerator<ExecutionResult>;
}

/**
 * The context one event runs with: a fresh one where the context offers it (ApiContext.forEvent),
 * so loaders and the ORM's identity map do not serve an earlier event's rows.
 */
function contextForEvent(context: unknown): unknown {
  const forEvent = (context as { forEvent?: () => unknown } | null | undefined)?.forEvent;
  return typeof forEvent === 'function' ? forEvent.call(context) : context;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}
