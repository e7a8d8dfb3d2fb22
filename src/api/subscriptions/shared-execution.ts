// graphql-ws runs a subscription's selection once per event and per subscriber. With a thousand
// subscribers of the same events that is a thousand identical executions (type-graphql's
// middleware and argument validation included) per event: the api fell seconds behind a single
// sync. Here an event offered to many subscribers (the relay hands every stream the same decoded
// object) is executed once per distinct operation (document and variables), and the result is
// shared. It relies on a subscription's result depending on the event, the document and the
// variables and the caller's role (every subscription needs only the viewer role, but the role
// joins the key so a result is never shared across roles should one ever narrow it).
// Where the transport offers `sendNext` (the graphql-ws server does), a result without errors is
// also serialised once, and each subscriber's message is written directly: graphql-ws's own
// path (its hooks, the message object, validation, JSON.stringify of the whole result) ran per
// socket. A result with errors still goes through graphql-ws, whose onNext formats them.
import {
  createSourceEventStream,
  execute,
  print,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

export interface SharedExecutionArgs extends ExecutionArgs {
  /** Writes one `next` message whose payload is `payloadJson` to this subscriber; resolves when it may send the next. */
  sendNext?: (payloadJson: string) => Promise<void>;
}

/** One execution's result, and its JSON once a subscriber needed it. */
interface SharedResult {
  result: ExecutionResult;
  json?: string;
}

/** Results per event object (gone with the event) and operation key. */
const shared = new WeakMap<object, Map<string, Promise<SharedResult>>>();

/**
 * graphql-js `subscribe`, with executions shared between subscribers of the same operation. With
 * `sendNext`, results without errors are sent by it and never yielded: the iterator yields only
 * results with errors, and ends (or fails) as the source does.
 */
export async function sharedSubscribe(args: SharedExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const { sendNext, ...executionArgs } = args;
  args = executionArgs;
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source; // the operation's errors
  const role = (args.contextValue as { principal?: { role?: string } } | undefined)?.principal?.role ?? '';
  const key = `${role}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${print(args.document)}`;
  const it = source[Symbol.asyncIterator]();
  const run = async (event: unknown): Promise<SharedResult> => ({
    result: await (execute({ ...args, contextValue: contextForEvent(args.contextValue), rootValue: event }) as Promise<ExecutionResult> | ExecutionResult),
  });
  const resultOf = (event: unknown): Promise<SharedResult> => {
    if (typeof event !== 'object' || event === null) return run(event);
    let results = shared.get(event);
    if (!results) shared.set(event, (results = new Map()));
    let result = results.get(key);
    if (!result) results.set(key, (result = run(event)));
    return result;
  };
  // Not an async generator: a generator's return() waits for its pending next(), so a client
  // leaving an idle subscription would stay registered until the next event.
  let returned = false;
  const results = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      for (;;) {
        const r = await it.next();
        if (r.done || returned) return { value: undefined, done: true };
        const s = await resultOf(r.value);
        if (!sendNext || s.result.errors?.length) return { value: s.result, done: false };
        // Sent here, in order; sendNext makes a client that does not read wait, so it backs up
        // into its stream (FELL_BEHIND) as it did when graphql-ws awaited every write.
        if (returned) return { value: undefined, done: true };
        await sendNext((s.json ??= JSON.stringify(s.result)));
      }
    },
    async return() {
      returned = true;
      await it.return?.();
      return { value: undefined, done: true };
    },
    async throw(err: unknown) {
      returned = true;
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
