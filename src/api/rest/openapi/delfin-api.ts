// Delfin's OpenAPI document (with ./errata.ts) loaded into openapi-backend: the router that
// matches a request to its operation, and the validator of requests (at run time) and of
// answers (in the tests). One instance per process, built on first use.
import { OpenAPIBackend, type Request as OpenApiRequest } from 'openapi-backend';
import type { Ajv, ErrorObject } from 'ajv';
import { DELFIN_OPENAPI } from './generated/delfin-openapi.js';
import { withErrata } from './errata.js';

type Backend = OpenAPIBackend;

let backend: Promise<Backend> | undefined;

const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export function delfinApi(): Promise<Backend> {
  backend ??= (async () => {
    const api = new OpenAPIBackend({
      definition: withErrata(DELFIN_OPENAPI) as never,
      strict: true,
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
