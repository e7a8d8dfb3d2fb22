// The GraphiQL playground at GET /graphql in a real browser (chromium through playwright-core):
// it loads with no failed request (every asset is served by the api), runs a query typed in
// its editor, runs a subscription over graphql-ws, and forwards the Authorization header of
// its headers editor to HTTP requests and to the WebSocket's connection_init.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { artifactPath, launchBrowser, recordFailures } from '../support/browser.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';

const t = testEnv('e2e_playground', { SCHEDULER_BACKEND: 'postgres' });
let delfin: DelfinProcess;
let browser: Browser;

before(async () => {
  delfin = await startDelfin('all', t.env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await delfin?.stop();
  await t.cleanup();
  assert.equal(code, 0, `delfin all should exit 0 on SIGTERM; output:\n${delfin.output()}`);
});

/** Types an operation in the query editor and waits until GraphiQL has taken it in. */
async function setOperation(page: Page, text: string, name: string): Promise<void> {
  await setEditor(page, 'section.graphiql-query-editor .monaco-editor', text);
  // GraphiQL reads the operation's name from the editor after a pause: its tab shows it then.
  await page.locator('.graphiql-tab-button', { hasText: name }).waitFor({ timeout: 10_000 });
}

/** Replaces the text of one of GraphiQL's Monaco editors (inserted as is: no auto-closed brackets). */
async function setEditor(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(editor).first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Waits for the result pane to show `needle` (Monaco renders spaces as no-break spaces). */
async function waitForResult(page: Page, needle: string, timeout = 30_000): Promise<void> {
  const shown = `(document.querySelector('.result-window')?.textContent ?? '').replace(/\\u00a0/g, ' ')`;
  try {
    await page.waitForFunction(`${shown}.includes(${JSON.stringify(needle)})`, undefined, { timeout });
  } catch (err) {
    await page.screenshot({ path: artifactPath('playground-failure.png') });
    throw new Error(`the result pane did not show ${needle}: ${String(await page.evaluate(shown))}`, { cause: err });
  }
}

test('GET /graphql for JSON clients is still the API', async () => {
  const url = new URL(delfin.url);
  url.searchParams.set('query', '{ drivers { vendor } }');
  const res = await fetch(url, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { data: { drivers: [{ vendor: 'fake_storage' }, { vendor: 'snia' }] } });
  const page = await fetch(delfin.url, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<title>delfin GraphQL playground<\/title>/);
  assert.doesNotMatch(html, /https?:\/\//, 'the page loads nothing from another origin');
});

test('the playground loads with no failed request, runs a typed query and a subscription, forwards Authorization', { timeout: 120_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const failures = recordFailures(page);
  const authorizations: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url() === delfin.url) authorizations.push(r.headers()['authorization'] ?? '');
  });
  const connectionInits: unknown[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { type: string; payload?: unknown };
      if (message.type === 'connection_init') connectionInits.push(message.payload);
    });
  });

  await page.goto(delfin.url);
  await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: /Execute query/ }).waitFor();

  await setEditor(page, '.monaco-editor[data-uri$="headers.json"]', '{ "Authorization": "Bearer playground-test-token" }');
  await setOperation(page, 'query Drivers { drivers { vendor model } }', 'Drivers');
  await page.getByRole('button', { name: /Execute query/ }).click();
  await waitForResult(page, '"model": "fake_driver"');
  assert.ok(authorizations.includes('Bearer playground-test-token'), `the query carried the header: ${JSON.stringify(authorizations)}`);

  // A subscription to every task, then a registration (it queues a sync): its events arrive.
  await setOperation(page, 'subscription Events { taskEvents { type task { kind status storageId } } }', 'Events');
  await page.getByRole('button', { name: /Execute query/ }).click();
  await page.waitForTimeout(500);
  const { registerStorage } = await gql(delfin.url, REGISTER, { input: fakeInput('10.8.0.1', { pools: 2, volumes: 2000, latencyMs: 100 }) });
  await waitForResult(page, registerStorage.id);
  await waitForResult(page, '"kind": "SYNC_RESOURCES"');
  assert.deepEqual(connectionInits, [{ authorization: 'Bearer playground-test-token' }], 'the WebSocket sent the token in connection_init');
  await page.screenshot({ path: artifactPath('playground.png') });

  assert.deepEqual(failures, [], `no request of the page failed: ${failures.join('\n')}`);
});
