// A person who opens the api's address in a browser lands on the dashboard, and the start-up
// log line tells where both the GraphQL endpoint and the dashboard are.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';

const t = testEnv('frontdoor', { LOG_LEVEL: 'info' });
let delfin: DelfinProcess;
let origin: string;

before(async () => {
  delfin = await startDelfin('api', t.env);
  origin = new URL(delfin.url).origin;
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

test('GET / sends a browser to the dashboard at /ui', async () => {
  const res = await fetch(`${origin}/`, { redirect: 'manual', headers: { accept: 'text/html' } });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/ui/');
  const page = await fetch(`${origin}/`, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.equal(new URL(page.url).pathname, '/ui/');
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
});

test('the start-up line names the GraphQL endpoint and the dashboard', () => {
  const line = delfin.output().split('\n').find((l) => l.includes('api listening'));
  assert.ok(line, delfin.output());
  const { msg } = JSON.parse(line) as { msg: string };
  assert.ok(msg.includes(`${origin}/graphql`), msg);
  assert.ok(msg.includes(`${origin}/ui/`), msg);
});
