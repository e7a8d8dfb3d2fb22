// A small typed GraphQL client for the delfin API: queries and mutations over HTTP (global
// fetch), subscriptions over graphql-ws. Documents and their types come from
// ./generated/graphql.ts (`npm run codegen`), e.g.
//
//   const client = createDelfinClient({ url: 'http://127.0.0.1:8080/graphql' });
//   const { storages } = await client.request(StoragesDocument, { first: 10 });
//   for await (const { taskEvents } of client.subscribe(TaskEventsDocument, { taskId })) { ... }
//   await client.close();
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client as WsClient, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export type { TypedDocumentNode };

/** Variables of an operation; `{}` stands for "no variables". */
export type Variables = Record<string, unknown>;

/** The variables argument: optional when the operation has no required variable. */
export type VariablesArg<TVars> = {} extends TVars ? [variables?: TVars] : [variables: TVars];

export interface DelfinClientOptions {
  /** The HTTP(S) GraphQL endpoint, e.g. http://127.0.0.1:8080/graphql; subscriptions use the same URL with ws:/wss:. */
  url: string;
  /** Sent as `authorization: Bearer <token>` (HTTP header, and connectionParams over WebSocket). */
  token?: string;
  /** A WebSocket implementation for graphql-ws; the `ws` package by default. */
  webSocketImpl?: unknown;
  /** The fetch to use; the global fetch by default. */
  fetch?: typeof fetch;
}

export interface DelfinClient {
  /** Runs a query or mutation over HTTP; throws a DelfinClientError when the answer has errors. */
  request<TResult, TVars extends Variables = Variables>(doc: TypedDocumentNode<TResult, TVars>, ...variables: VariablesArg<TVars>): Promise<TResult>;
  /**
   * Starts a subscription (the WebSocket opens on the first one). The iterator ends when the
   * server completes the subscription and throws a DelfinClientError on a GraphQL error;
   * `return()` (also `break` in `for await`) unsubscribes at once.
   */
  subscribe<TResult, TVars extends Variables = Variables>(doc: TypedDocumentNode<TResult, TVars>, ...variables: VariablesArg<TVars>): AsyncIterableIterator<TResult>;
  /** Ends every subscription and closes the WebSocket, if one is open. */
  close(): Promise<void>;
}

/** A GraphQL error answer: `code` is errors[0].extensions.code, `errors` are all of them. */
export class DelfinClientError extends Error {
  override readonly name = 'DelfinClientError';
  readonly code: string;
  readonly errors: readonly GraphQLFormattedError[];
  /** The HTTP status, for answers over HTTP. */
  readonly status: number | undefined;

  constructor(errors: readonly GraphQLFormattedError[], status?: number) {
    const first = errors[0];
    super(first?.message ?? 'GraphQL request failed');
    const code = first?.extensions?.['code'];
    this.code = typeof code === 'string' ? code : 'UNKNOWN';
    this.errors = errors;
    this.status = status;
  }
}

export function toWebSocketUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}

export function createDelfinClient(options: DelfinClientOptions): DelfinClient {
  const { url, token } = options;
  const doFetch = options.fetch ?? globalThis.fetch;
  const authorization = token ? `Bearer ${token}` : undefined;
  let ws: WsClient | undefined;
  const open = new Set<() => void>();
  let closed = false;

  function wsClient(): WsClient {
    if (closed) throw new Error('the delfin client is closed');
    ws ??= createClient({
      url: toWebSocketUrl(url),
      webSocketImpl: options.webSocketImpl ?? WebSocket,
      lazy: true,
      ...(authorization ? { connectionParams: { authorization } } : {}),
    });
    return ws;
  }

  async function request<TResult, TVars extends Variables>(doc: TypedDocumentNode<TResult, TVars>, ...[variables]: VariablesArg<TVars>): Promise<TResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (authorization) headers['authorization'] = authorization;
    const res = await doFetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: print(doc), variables: variables ?? {} }),
    });
    const text = await res.text();
    let body: FormattedExecutionResult<TResult> | undefined;
    try {
      body = JSON.parse(text) as FormattedExecutionResult<TResult>;
    } catch {
      body = undefined;
    }
    if (body?.errors?.length) throw new DelfinClientError(body.errors, res.status);
    if (!res.ok || body?.data == null) {
      const message = res.ok ? 'the answer has no data' : `HTTP ${res.status} ${res.statusText}`.trim();
      throw new DelfinClientError([{ message: `${message}: ${text.slice(0, 200)}`, extensions: { code: res.ok ? 'BAD_RESPONSE' : `HTTP_${res.status}` } }], res.status);
    }
    return body.data;
  }

  function subscribe<TResult, TVars extends Variables>(doc: TypedDocumentNode<TResult, TVars>, ...[variables]: VariablesArg<TVars>): AsyncIterableIterator<TResult> {
    const pending: TResult[] = [];
    let failure: unknown;
    let done = false;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      if (err !== undefined) failure = err;
      open.delete(stop);
      notify();
    };
    let unsubscribe: () => void = () => {};
    const stop = () => {
      unsubscribe();
      finish();
    };
    open.add(stop);
    unsubscribe = wsClient().subscribe<TResult>(
      { query: print(doc), variables: variables ?? {} },
      {
        next(result) {
          if (done) return;
          if (result.errors?.length) {
            unsubscribe();
            finish(new DelfinClientError(result.errors));
          } else if (result.data != null) {
            pending.push(result.data);
            notify();
          }
        },
        error(err) {
          finish(toError(err));
        },
        complete() {
          finish();
        },
      },
    );

    const iterator: AsyncIterableIterator<TResult> = {
      async next(): Promise<IteratorResult<TResult>> {
        for (;;) {
          if (pending.length) return { done: false, value: pending.shift() as TResult };
          if (failure !== undefined) {
            const err = failure;
            failure = undefined;
            throw err;
          }
          if (done) return { done: true, value: undefined };
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      async return(): Promise<IteratorResult<TResult>> {
        stop();
        pending.length = 0;
        failure = undefined;
        return { done: true, value: undefined };
      },
      async throw(err?: unknown): Promise<IteratorResult<TResult>> {
        stop();
        pending.length = 0;
        throw err;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  async function close(): Promise<void> {
    closed = true;
    for (const stop of [...open]) stop();
    const client = ws;
    ws = undefined;
    if (client) await client.dispose();
  }

  return { request, subscribe, close };
}

/** What graphql-ws reports as an error: GraphQL errors, a close event or an Error. */
function toError(err: unknown): Error {
  if (Array.isArray(err)) return new DelfinClientError(err as GraphQLFormattedError[]);
  if (err instanceof Error) return err;
  if (err && typeof err === 'object' && 'code' in err) {
    const { code, reason } = err as { code: unknown; reason?: unknown };
    return new DelfinClientError([
      { message: `the WebSocket closed (${String(code)}${reason ? `: ${String(reason)}` : ''})`, extensions: { code: 'WEBSOCKET_CLOSED', closeCode: code } },
    ]);
  }
  return new Error(String(err));
}
