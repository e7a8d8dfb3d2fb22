// Delfin's document with our errata (src/api/rest/openapi/) is valid OpenAPI, and every REST
// route answers an operation of it.
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAPIBackend } from 'openapi-backend';
import { delfinDocument } from '../../src/api/rest/openapi/delfin-api.js';
import { operationKey, operationsOf } from '../../src/api/rest/openapi/errata.js';
import { REST_ROUTES } from '../../src/api/rest/routes.js';

test('Delfin\'s document with the errata is valid OpenAPI 3.0', async () => {
  const api = new OpenAPIBackend({ definition: delfinDocument() as never, quick: true });
  await api.loadDocument();
  assert.doesNotThrow(() => api.validateDefinition());
});

test('every REST route is an operation of the document, and every operation has a unique key', () => {
  const keys = operationsOf(delfinDocument()).map(({ method, path }) => operationKey(method, path));
  assert.equal(new Set(keys).size, keys.length);
  assert.deepEqual(Object.keys(REST_ROUTES).filter((k) => !keys.includes(k)), []);
});
