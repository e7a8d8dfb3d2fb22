// A task's shape is declared once (src/db/entities/task-fields.ts). The row mapping and the
// event snapshot derive from the list; the MikroORM entity and the GraphQL type are written
// with decorators, so this test holds them to it: a field added to one and not the list (or
// the other way round) fails here.
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isObjectType, type GraphQLObjectType } from 'graphql';
import { MetadataStorage, UnderscoreNamingStrategy } from '@mikro-orm/core';
import { createSchema } from '../../src/api/schema.js';
import { Task as TaskEntity } from '../../src/db/entities/Task.js';
import { EVENT_FIELDS, TASK_FIELDS, taskFromRow } from '../../src/db/entities/task-fields.js';
import { toSnapshot } from '../../src/bus/task-events.js';

/** Fields of the GraphQL Task computed by resolvers, not stored. */
const RESOLVED = ['storage'];

const listed = Object.entries(TASK_FIELDS);

test('the GraphQL Task type has exactly the listed fields the API shows, with their types', async () => {
  const type = (await createSchema()).getType('Task');
  assert.ok(type && isObjectType(type));
  const fields = (type as GraphQLObjectType).getFields();
  const inSchema = Object.fromEntries(Object.values(fields).filter((f) => !RESOLVED.includes(f.name)).map((f) => [f.name, String(f.type)]));
  const inList = Object.fromEntries(listed.filter(([, d]) => d.graphql !== null).map(([name, d]) => [name, d.graphql]));
  assert.deepEqual(inSchema, inList);
});

test('the MikroORM entity has exactly the listed fields, on the listed columns', () => {
  const meta = MetadataStorage.getMetadataFromDecorator(TaskEntity as never);
  const naming = new UnderscoreNamingStrategy();
  const inEntity = Object.fromEntries(Object.keys(meta.properties).map((name) => [name, naming.propertyToColumnName(name)]));
  const inList = Object.fromEntries(listed.map(([name, d]) => [name, d.column]));
  assert.deepEqual(inEntity, inList);
});

test('a row maps to every listed field, and events carry the fields the API shows', () => {
  const row: Record<string, unknown> = {};
  for (const [, d] of listed) row[d.column] = d.nullable ? null : d.read === 'date' ? new Date(0) : d.read === 'text' ? 'x' : d.read === 'boolean' ? false : 1;
  row.resource_type = 'VOLUME';
  row.bus_sequence = '42';
  const task = taskFromRow(row);
  assert.deepEqual(Object.keys(task).sort(), listed.map(([name]) => name).sort());
  assert.equal(task.busSequence, 42, 'a bigint column comes as a number');
  assert.equal(task.stats, null);
  const snapshot = toSnapshot(task);
  assert.deepEqual(Object.keys(snapshot).sort(), [...EVENT_FIELDS].sort());
  assert.deepEqual(EVENT_FIELDS, listed.filter(([, d]) => d.graphql !== null).map(([name]) => name));
  assert.equal(snapshot.resourceType, 'VOLUME', 'the resource type travels with the task');
});
