#!/usr/bin/env node
// Watches task events over graphql-ws, as a frontend would.
// usage: node examples/watch-events.mjs [--task ID | --storage ID] [--url http://127.0.0.1:4000/graphql]
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: { task: { type: 'string' }, storage: { type: 'string' }, url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' } },
});
const client = createClient({ url: values.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket });
const query = `subscription($taskId: ID, $storageId: ID) {
  taskEvents(taskId: $taskId, storageId: $storageId) {
    type at task { id kind status progress phase message error stats { poolsAdded volumesAdded volumesUpdated volumesDeleted } }
  }
}`;
client.subscribe(
  { query, variables: { taskId: values.task, storageId: values.storage } },
  {
    next: ({ data, errors }) => {
      if (errors) return console.error(errors[0].message);
      const { type, at, task } = data.taskEvents;
      const pct = `${Math.round(task.progress * 100)}%`.padStart(4);
      console.log(`${at} ${type.padEnd(9)} ${pct} ${task.phase ?? ''} ${task.message ?? ''}${task.error ? ` error: ${task.error}` : ''}`);
    },
    error: (e) => {
      console.error(e);
      process.exit(1);
    },
    complete: () => client.dispose(),
  },
);
