// What we change in Delfin's document before validating against it, each for a stated reason.
// The document is Delfin's own (generated/delfin-openapi.ts); these are the places where it says
// less, or other, than Delfin itself does, and the one operation of the seed that Delfin removed.
// docs/delfin-rest.md lists them for users.

type Json = Record<string, any>;

const ERROR_SPEC = { $ref: '#/components/schemas/ErrorSpec' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_SPEC } } });

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of the document, with its method and path. */
export function operationsOf(doc: Json): Array<{ method: string; path: string; op: Json }> {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] as Json })));
}

/** The key each operation is routed by: "GET /v1/storages/{storage_id}". */
export const operationKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

/** 1. Many operations have no operationId; the router needs one: all get "METHOD path". */
function keyOperations(doc: Json): void {
  for (const { method, path, op } of operationsOf(doc)) op.operationId = operationKey(method, path);
}

/**
 * 2. Delfin answers every error with an ErrorSpec body, also with statuses an operation does not
 * list (404 for an unknown storage on GET /v1/storages/{id}, 401 on capabilities, 501 here).
 */
function errorsByDefault(doc: Json): void {
  for (const { op } of operationsOf(doc)) op.responses.default ??= errorResponse('An error (Delfin\'s ErrorSpec)');
}

/** 3. Two YAML slips made prose part of a format name. */
function fixFormats(doc: Json): void {
  doc.components.schemas.StorageBackendAlertSync.properties.begin_time.format = 'int64';
  for (const { op } of operationsOf(doc)) {
    for (const p of (op.parameters ?? []) as Json[]) if (p.schema?.format === 'int32 - desc') p.schema.format = 'int32';
  }
  if (doc.components.parameters.offset?.schema) doc.components.parameters.offset.schema.format = 'int32';
}

/**
 * 4. Registration and access-info update: the document's anyOf asks for host, username and
 * password beside vendor and model, where Delfin (delfin/api/schemas/storages.py) asks for one
 * of rest, ssh, cli, smis, and refuses fields it does not know.
 */
function strictAccessBodies(doc: Json): void {
  const s = doc.components.schemas;
  s.StorageBackendRegistry.anyOf = ['rest', 'ssh', 'cli', 'smis'].map((k) => ({ required: [k] }));
  s.StorageBackendRegistryUpdate.anyOf = ['rest', 'ssh', 'cli', 'smis'].map((k) => ({ required: [k] }));
  for (const name of ['StorageBackendRegistry', 'StorageBackendRegistryUpdate', 'SnmpConfigUpdateSpec', 'StorageBackendAlertSync',
    'RestAccessInfoRegistry', 'SSHAccessInfoRegistry', 'CLIAccessInfoRegistry', 'SMISAccessInfoRegistry',
    'RestAccessInfoUpdate', 'SSHAccessInfoUpdate', 'CLIAccessInfoUpdate', 'SMISAccessInfoUpdate']) {
    s[name].additionalProperties = false;
  }
}

/**
 * 5. `limit`'s own description pages with a `marker` (the id of the last item seen), which the
 * document does not declare: every list that takes `limit` takes `marker` too.
 */
function markerParameter(doc: Json): void {
  const marker = { name: 'marker', in: 'query', required: false, schema: { type: 'string' } };
  for (const { op } of operationsOf(doc)) {
    const params = (op.parameters ?? []) as Json[];
    if (params.some((p) => p.name === 'limit')) params.push({ ...marker });
  }
}

const POLLING = {
  type: 'object',
  additionalProperties: false,
  required: ['perf_collection'],
  properties: { perf_collection: { type: 'boolean' }, interval: { type: 'integer', minimum: 1 }, is_historic: { type: 'boolean' } },
};

/** 6. The seed's metrics-config (Delfin had it before v1.1 and removed it; we keep it). */
function metricsConfig(doc: Json): void {
  doc.components.schemas.MetricsConfigSpec = {
    type: 'object',
    additionalProperties: false,
    properties: { array_polling: POLLING, pool_polling: POLLING, volume_polling: POLLING },
  };
  const storageId = { name: 'storage_id', in: 'path', required: true, schema: { type: 'string' } };
  const config = { description: 'The metrics-config', content: { 'application/json': { schema: { $ref: '#/components/schemas/MetricsConfigSpec' } } } };
  const path = '/v1/storages/{storage_id}/metrics-config';
  doc.paths[path] = {
    get: { operationId: operationKey('get', path), parameters: [storageId], responses: { 200: config, default: errorResponse('An error') } },
    put: {
      operationId: operationKey('put', path),
      parameters: [storageId],
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/MetricsConfigSpec' } } } },
      responses: { 200: config, default: errorResponse('An error') },
    },
  };
}

/** 7. The volumes' status filter lists the pools' statuses ("noraml"...): the volumes' own it is. */
function volumeStatusFilter(doc: Json): void {
  const status = (doc.paths['/v1/volumes'].get.parameters as Json[]).find((p) => p.name === 'status');
  if (status) status.schema.enum = ['available', 'error'];
}

/**
 * 8. Registration, access-info update, SNMP config: Delfin refuses them without a body; the
 * document leaves their bodies optional. (The alert sync's body stays optional.)
 */
function requiredBodies(doc: Json): void {
  const byKey = new Map(operationsOf(doc).map(({ method, path, op }) => [operationKey(method, path), op]));
  for (const key of ['POST /v1/storages', 'PUT /v1/storages/{storage_id}/access-info', 'PUT /v1/storages/{storage_id}/snmp-config']) {
    const op = byKey.get(key)!;
    if (op.requestBody.$ref) op.requestBody = structuredClone(doc.components.requestBodies[op.requestBody.$ref.split('/').pop()]);
    op.requestBody.required = true;
  }
}

/** Delfin's document with the errata above, as a new object. */
export function withErrata(original: unknown): Json {
  const doc = structuredClone(original) as Json;
  keyOperations(doc);
  errorsByDefault(doc);
  fixFormats(doc);
  strictAccessBodies(doc);
  markerParameter(doc);
  metricsConfig(doc);
  volumeStatusFilter(doc);
  requiredBodies(doc);
  return doc;
}
