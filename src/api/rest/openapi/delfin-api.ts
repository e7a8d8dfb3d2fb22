// Delfin's OpenAPI document (with ./errata.ts) loaded into openapi-backend: the router that
// matches a request to its operation, and the validator of requests (at run time) and of
// answers (in the tests). One instance per process, built on first use.
import { OpenAPIBackend, type Request as OpenApiRequest } from 'openapi-backend';
import { dereference } from 'openapi-backend/refparser.js';
import type { Ajv, ErrorObject } from 'ajv';
import { DELFIN_OPENAPI } from './generated/delfin-openapi.js';
import { withErrata } from './errata.js';

type Backend = OpenAPIBackend;

let backend: Promise<Backend> | undefined;

/** The document with its errata, for checking it is valid OpenAPI (test/unit/delfin-openapi.test.ts). */
export const delfinDocument = (): Record<string, unknown> => withErrata(DELFIN_OPENAPI);

const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export function delfinApi(): Promise<Backend> {
  backend ??= (async () => {
    const api = new OpenAPIBackend({
      // Dereferenced here by the library's own $ref parser: quick mode's would leave some $refs.
      definition: (await dereference(withErrata(DELFIN_OPENAPI) as never)) as never,
      strict: true,
      // Quick: no check of the document at start-up (a unit test makes it) and each operation's
      // validators compiled on its first request, so the api starts in milliseconds, not seconds.
      quick: true,
      validate: true,
      coerceTypes: true,
      // Path and query values arrive as text: coerced to the declared integer, never to arrays.
      customizeAjv: (ajv: Ajv) => {
        ajv.addFormat('date-time', { type: 'string', validate: (s: string) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });
        return ajv;
      },
    });
    await api.init();
    return api;
  })();
  return backend;
}

export type { OpenApiRequest };

/** Ajv's errors as one sentence per problem, naming where: "query.limit must be >= 1". */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath.replace(/^\//, '').replace(/\//g, '.').replace(/^requestBody\.?/, 'body.').replace(/\.$/, '');
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
    const allowed = e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
    return `${where || 'body'} ${e.message}${extra}${allowed}`;
  });
}
