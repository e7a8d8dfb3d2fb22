#!/usr/bin/env node
// Watches task events over graphql-ws, as a frontend would.
// usage: node examples/watch-events.mjs [--task ID | --storage ID] [--url URL] [--token TOKEN]
// The same settings as the `delfin` command: --url or DELFIN_URL (default
// http://127.0.0.1:4000/graphql), --token or DELFIN_TOKEN (sent as a bearer token).
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: { task: { type: 'string' }, storage: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } },
});
const url = values.url ?? process.env.DELFIN_URL ?? 'http://127.0.0.1:4000/graphql';
const token = values.token ?? process.env.DELFIN_TOKEN;

/** Any failure as one sentence: a socket error, a close by the server, or the operation's errors. */
function describe(e) {
  if (Array.isArray(e)) return e.map((err) => err.message).join('; ');
  if (typeof e?.code === 'number') return `the delfin API at ${url} closed the connection (${e.code}${e.reason ? `: ${e.reason}` : ''})`;
  return `cannot reach the delfin API at ${url}: ${e?.message ?? String(e)}`;
}

function fail(message) {
  process.stderr.write(`watch-events: ${message}\n`);
  process.exit(1);
}

let wsUrl;
try {
  wsUrl = new URL(url.replace(/^http/, 'ws')).href;
} catch {
  fail(`DELFIN_URL (or --url) is not a URL: ${url}`);
}
const client = createClient({
  url: wsUrl,
  webSocketImpl: WebSocket,
  connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
  // Report a server that does not answer at once rather than retrying in silence.
  retryAttempts: 0,
});
const query = `subscription($taskId: ID, $storageId: ID) {
  taskEvents(taskId: $taskId, storageId: $storageId) {
    type at task { id kind status progress phase message error stats { poolsAdded volumesAdded volumesUpdated volumesDeleted } }
  }
}`;
client.subscribe(
  { query, variables: { taskId: values.task, storageId: values.storage } },
  {
    next: ({ data, errors }) => {
      if (errors) return fail(describe(errors));
      const { type, at, task } = data.taskEvents;
      const pct = `${Math.round(task.progress * 100)}%`.padStart(4);
      console.log(`${at} ${type.padEnd(9)} ${pct} ${task.phase ?? ''} ${task.message ?? ''}${task.error ? ` error: ${task.error}` : ''}`);
    },
    error: (e) => fail(describe(e)),
    complete: () => client.dispose(),
  },
);
