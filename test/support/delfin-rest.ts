// A client of Delfin's REST API as a Delfin user's script would be (fetch, JSON), that checks
// every answer against Delfin's OpenAPI document (with our errata) with the same library the
// server validates requests with: openapi-backend's response validation.
import assert from 'node:assert/strict';
import { delfinApi } from '../../src/api/rest/openapi/delfin-api.js';

export interface RestAnswer {
  status: number;
  body: any;
  /** The body as sent, for looking for what must never be in it. */
  text: string;
}

export interface RestClient {
  (method: string, path: string, body?: unknown, opts?: { token?: string; headers?: Record<string, string> }): Promise<RestAnswer>;
}

/** `base`: the api's origin ("http://127.0.0.1:PORT"). `token`: sent as a bearer token unless a call gives its own. */
export function restClient(base: string, token?: string): RestClient {
  return async (method, path, body, opts = {}) => {
    const bearer = opts.token ?? token;
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...opts.headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const answer = { status: res.status, body: text ? JSON.parse(text) : undefined, text };
    await assertValidAnswer(method, path, answer);
    return answer;
  };
}

/** The answer is what Delfin's document says this operation answers with this status. */
export async function assertValidAnswer(method: string, path: string, answer: RestAnswer): Promise<void> {
  const api = await delfinApi();
  const url = new URL(path, 'http://x');
  const operation = api.router.matchOperation({ method, path: url.pathname, headers: {}, query: Object.fromEntries(url.searchParams) });
  if (!operation) {
    // No such operation in the document: the answer is still Delfin's ErrorSpec.
    assert.ok(answer.status === 404 || answer.status === 405, `${method} ${path} is not in the document, yet answered ${answer.status}`);
    assertErrorSpec(answer);
    return;
  }
  if (answer.status >= 400) assertErrorSpec(answer);
  const declared = operation.responses?.[String(answer.status)] as { content?: Record<string, unknown> } | undefined;
  if (declared && !declared.content?.['application/json']) {
    assert.equal(answer.text, '', `${method} ${path} answered ${answer.status} with a body, where the document declares none`);
    return;
  }
  const result = api.validator.validateResponse(answer.body, operation, answer.status);
  assert.ok(result.valid, `${method} ${path} answered ${answer.status}, not valid against Delfin's document: ${JSON.stringify(result.errors)}\n${answer.text.slice(0, 2000)}`);
}

function assertErrorSpec(answer: RestAnswer): void {
  const b = answer.body;
  assert.ok(b && typeof b.error_code === 'string' && typeof b.error_msg === 'string' && Array.isArray(b.error_args), `not an ErrorSpec: ${answer.text}`);
}
