// A GraphQL client as a user's app would be: HTTP POST for queries and mutations, graphql-ws
// for subscriptions. Errors come back as thrown GraphQLRequestError with the server's code.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export class GraphQLRequestError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
    readonly errors: Array<{ message: string; extensions?: Record<string, unknown> }>,
  ) {
    super(message);
  }
}

const REQUEST_TIMEOUT_MS = 120_000;

/** `token`: sent as "Authorization: Bearer <token>". */
export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    // No request of a test or the soak waits longer than this for an answer (a hung request fails).
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  if (body.errors?.length) {
    throw new GraphQLRequestError(body.errors[0]!.extensions?.code as string | undefined, body.errors[0]!.message, body.errors);
  }
  return body.data as T;
}

/** Rejects with the error a request gave, for asserting on codes. */
export async function gqlError(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLRequestError> {
  try {
    await gql(url, query, variables, token);
  } catch (err) {
    if (err instanceof GraphQLRequestError) return err;
    throw err;
  }
  throw new Error('expected the operation to fail');
}

export interface Subscription<T> {
  /** Every payload received so far. */
  received: T[];
  /** Resolves with the received payloads once `until` holds for one of them (or rejects after timeoutMs). */
  waitFor(until: (payload: T) => boolean, timeoutMs?: number): Promise<T[]>;
  /** Resolves when the server completes the subscription. */
  completed: Promise<void>;
  close(): Promise<void>;
}

export function subscribe<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Subscription<T> {
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    ...(token ? { connectionParams: { authorization: `Bearer ${token}` } } : {}),
  });
  const received: T[] = [];
  const waiters: Array<() => void> = [];
  let failure: unknown;
  const completed = new Promise<void>((resolve, reject) => {
    client.subscribe<T>(
      { query, variables },
      {
        next: (v) => {
          if (v.errors?.length) failure = new GraphQLRequestError(String(v.errors[0]!.extensions?.code), v.errors[0]!.message, v.errors as never);
          else received.push(v.data as T);
          for (const w of waiters) w();
        },
        error: (e) => {
          failure = e;
          for (const w of waiters) w();
          reject(e instanceof Error ? e : new Error(JSON.stringify(e)));
        },
        complete: () => resolve(),
      },
    );
  });
  completed.catch(() => undefined);
  return {
    received,
    completed,
    waitFor(until, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (failure) return reject(failure);
          if (received.some(until)) {
            clearTimeout(timer);
            resolve(received);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`timed out; received ${JSON.stringify(received.slice(-5))}`)), timeoutMs);
        if (!check()) waiters.push(() => void check());
      });
    },
    async close() {
      await client.dispose();
    },
  };
}
