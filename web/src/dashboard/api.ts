// The dashboard's access to the API: the project's typed client (src/client) in the browser,
// plus the one sentence an error is shown as.
import { createDelfinClient, DelfinClientError, type DelfinClient } from '../../../src/client/client';

export * from '../../../src/client/generated/graphql';
export type { DelfinClient };

/** The API of the page's own origin; subscriptions go to the same path over ws:/wss:. */
export function openClient(token: string): DelfinClient {
  const url = new URL('/graphql', window.location.href).toString();
  return createDelfinClient({ url, webSocketImpl: WebSocket, ...(token ? { token } : {}) });
}

export interface ShownError {
  message: string;
  code: string;
}

/** The API's sentence and extensions.code; a network failure says it could not reach the API. */
export function describeError(err: unknown): ShownError {
  if (err instanceof DelfinClientError) return { message: err.message, code: err.code };
  if (err instanceof TypeError) return { message: `cannot reach the delfin API: ${err.message}`, code: 'UNREACHABLE' };
  return { message: err instanceof Error ? err.message : String(err), code: 'ERROR' };
}
