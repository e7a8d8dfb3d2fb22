// examples/gql.mjs and examples/watch-events.mjs as a reader runs them: they take the CLI's
// settings (DELFIN_URL, DELFIN_TOKEN), follow a sync to its end, and say in one line what is
// wrong when the API cannot be reached or refuses them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.js';
import { freePort, startDelfin, type DelfinProcess } from '../support/system.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'examples-admin-token-0123456789';
const t = testEnv('examples', { DELFIN_TOKENS: `admin:${TOKEN}` });
let system: DelfinProcess;

before(async () => {
  system = await startDelfin('all', t.env);
});

after(async () => {
  await system?.stop();
  await t.cleanup();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node examples/<script> <args>` from the repository's root, with only the settings given. */
function example(script: string, args: string[], settings: { DELFIN_URL?: string; DELFIN_TOKEN?: string }): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['DELFIN_URL'];
  delete env['DELFIN_TOKEN'];
  const proc = spawn(process.execPath, [`examples/${script}`, ...args], { cwd: ROOT, env: { ...env, ...settings }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A second per driver call: the sync (about 13 calls) outlasts the start of the watching process.
const REGISTER = `mutation { registerStorage(input: {
  vendor: "fake_storage", model: "fake_driver", name: "examples-array",
  rest: { host: "192.0.2.77", port: 8443, username: "admin", password: "secret" },
  extraAttributes: { pools: 2, volumes: 1000, pageSize: 100, latencyMs: 1000 } }) { id } }`;

test('gql.mjs and watch-events.mjs use DELFIN_URL and DELFIN_TOKEN: a sync followed to its end', async () => {
  const settings = { DELFIN_URL: system.url, DELFIN_TOKEN: TOKEN };
  const registered = await example('gql.mjs', [REGISTER], settings);
  assert.equal(registered.code, 0, registered.stderr + registered.stdout);
  const storageId = JSON.parse(registered.stdout).data.registerStorage.id as string;

  const synced = await example('gql.mjs', ['mutation($id: ID!) { syncStorage(id: $id) { id } }', JSON.stringify({ id: storageId })], settings);
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  const taskId = JSON.parse(synced.stdout).data.syncStorage.id as string;

  const watched = await example('watch-events.mjs', ['--task', taskId], settings);
  assert.equal(watched.code, 0, watched.stderr);
  assert.equal(watched.stderr, '');
  const lines = watched.stdout.trimEnd().split('\n');
  assert.match(lines.at(-1)!, /^\S+ SUCCEEDED 100% cleanup synced 2 pools/);
  assert.ok(lines.some((l) => / PROGRESS .* volumes \d+ of 1000 volumes$/.test(l)), watched.stdout);
});

test('an API that is not there: one line on stderr naming the URL, exit 1', async () => {
  const url = `http://127.0.0.1:${await freePort()}/graphql`;
  const watched = await example('watch-events.mjs', ['--task', '01a21d6d-8006-757a-9fa8-38dec42eac5a'], { DELFIN_URL: url });
  assert.equal(watched.code, 1);
  assert.equal(watched.stdout, '');
  assert.match(watched.stderr, /^watch-events: cannot reach the delfin API at http:\/\/127\.0\.0\.1:\d+\/graphql: connect ECONNREFUSED [\d.:]+\n$/);

  const posted = await example('gql.mjs', ['{ drivers { vendor } }'], { DELFIN_URL: url });
  assert.equal(posted.code, 1);
  assert.match(posted.stderr, /^gql: cannot reach the delfin API at http:\/\/127\.0\.0\.1:\d+\/graphql: connect ECONNREFUSED [\d.:]+\n$/);
});

test('a missing token: watch-events.mjs says in one line that the API refused it', async () => {
  const watched = await example('watch-events.mjs', ['--task', '01a21d6d-8006-757a-9fa8-38dec42eac5a'], { DELFIN_URL: system.url });
  assert.equal(watched.code, 1);
  assert.match(watched.stderr, /^watch-events: the delfin API at \S+ closed the connection \(4401: [^\n]+\)\n$/);
});
