// The dashboard at /ui in a real browser (chromium through playwright-core) against
// `delfin all`: register a simulated array of 20 000 volumes through the form, watch the
// first sync's progress bar go to 100 % and "done" with its SyncStats, read the volume count,
// sync again with the button, edit the schedule, and see the API's errors as its sentences.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { artifactPath, launchBrowser, recordFailures } from '../support/browser.js';

const t = testEnv('e2e_ui', { SCHEDULER_BACKEND: 'postgres' });
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

// Every value the progress bars take, recorded in the page as they change (the test's own
// polling could miss the short ones).
const RECORD_PROGRESS = `
  window.__progress = [];
  const record = (el) => window.__progress.push({ task: el.closest('.task')?.dataset.taskId, value: Number(el.getAttribute('aria-valuenow')) });
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'attributes') record(m.target);
      for (const n of m.addedNodes) if (n.querySelectorAll) n.querySelectorAll('[role=progressbar]').forEach(record);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
`;

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent())?.trim() ?? '';
}

async function waitForText(page: Page, selector: string, expected: RegExp, timeout = 60_000): Promise<void> {
  const re = JSON.stringify(expected.source);
  await page.waitForFunction(`new RegExp(${re}).test(document.querySelector(${JSON.stringify(selector)})?.textContent ?? '')`, undefined, { timeout });
}

test('register 20 000 volumes from the form, watch the sync to 100 %, page the volumes, sync again, edit the schedule', { timeout: 180_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const failures = recordFailures(page);
  await page.goto(new URL('/ui/', delfin.url).toString());
  await page.getByRole('heading', { name: 'Storages' }).waitFor();
  await page.evaluate(RECORD_PROGRESS);

  // pageSize 500 and latencyMs 40: 40 pages over a couple of seconds, so the bar is seen moving.
  const form = page.getByRole('form', { name: 'Register an array' });
  await form.locator('input[name=name]').fill('ui-array');
  await form.locator('input[name=host]').fill('10.7.0.1');
  await form.locator('textarea[name=extraAttributes]').fill('{"pools": 5, "volumes": 20000, "pageSize": 500, "latencyMs": 40}');
  await form.getByRole('button', { name: 'Register' }).click();

  const row = page.locator('table.storages tbody tr', { hasText: 'ui-array' });
  await row.waitFor({ timeout: 30_000 });
  const storageId = await row.getAttribute('data-storage-id');
  assert.ok(storageId);

  // Registration queued the first sync; the page follows it to its end.
  const done = `.task[data-storage-id="${storageId}"][data-status="SUCCEEDED"]`;
  await page.waitForSelector(done, { timeout: 90_000 });
  const task = page.locator(done).first();
  assert.equal(await task.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  assert.equal((await task.locator('.task-percent').textContent())?.trim(), '100 %');
  assert.equal((await task.locator('.badge').textContent())?.trim(), 'done');
  assert.equal((await task.locator('.task-stats').textContent())?.trim(), 'pools +5 ~0 −0 · volumes +20000 ~0 −0');
  const firstTaskId = await task.getAttribute('data-task-id');
  const seen = ((await page.evaluate('window.__progress')) as Array<{ task: string; value: number }>).filter((p) => p.task === firstTaskId).map((p) => p.value);
  assert.ok(seen.some((v) => v > 0 && v < 100), `the bar moved through values between 0 and 100: ${seen.join(', ')}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, `the bar never goes back: ${seen.join(', ')}`);
  assert.equal(seen.at(-1), 100);

  // The storage, its pools and its volumes, read again once the sync ended.
  await waitForText(page, `tr[data-storage-id="${storageId}"] .sync-state`, /^SYNCED$/);
  await waitForText(page, '[data-testid=volumes-count]', /^20,000$/);
  assert.equal(await text(page, '[data-testid=pools-count]'), '5');
  const volumes = page.getByTestId('volumes-table');
  assert.match((await volumes.locator('.pager span').textContent()) ?? '', /^1–25 of 20,000$/);
  await volumes.getByRole('button', { name: 'Next →' }).click();
  await waitForText(page, '[data-testid=volumes-table] .pager span', /^26–50 of 20,000$/);
  await page.screenshot({ path: artifactPath('dashboard.png'), fullPage: true });

  // The Sync button: a second task, followed to its end; an unchanged array writes nothing.
  await row.getByRole('button', { name: 'Sync' }).click();
  await page.waitForFunction(`document.querySelectorAll(${JSON.stringify(done)}).length === 2`, undefined, { timeout: 60_000 });
  assert.equal((await page.locator(done).first().locator('.task-stats').textContent())?.trim(), 'pools +0 ~0 −0 · volumes +0 ~0 −0');

  // The same array again: the API's sentence and code, under the form.
  await form.getByRole('button', { name: 'Register' }).click();
  await waitForText(page, 'form.register .error', /CONFLICT$/, 30_000);
  assert.match(await text(page, 'form.register .error'), /serial number/i);

  // The schedule: refused under the minimum interval (the sentence), then saved.
  const schedule = page.getByRole('form', { name: 'Sync schedule' });
  await schedule.getByLabel('interval in seconds').fill('5');
  await schedule.getByRole('button', { name: 'Save' }).click();
  await waitForText(page, 'form.schedule .error', /BAD_USER_INPUT$/, 30_000);
  await schedule.getByLabel('interval in seconds').fill('3600');
  await schedule.getByRole('button', { name: 'Save' }).click();
  await waitForText(page, '[data-testid=schedule-state]', /^Enabled: every 3600 s; next run /, 30_000);
  await schedule.getByRole('button', { name: 'Disable' }).click();
  await waitForText(page, '[data-testid=schedule-state]', /^Disabled \(was every 3600 s\)\.$/, 30_000);

  // Metrics settings: the table when the server has the field, else its error with a code.
  const metrics = page.getByRole('region', { name: 'Metrics collection' });
  await metrics.locator('table, .error').first().waitFor({ timeout: 30_000 });
  if (await metrics.locator('.error').count()) assert.ok(((await metrics.locator('.error code').textContent()) ?? '').length > 0, 'the error shows its code');
  else assert.equal(await metrics.locator('tbody tr').count(), 6);

  await page.screenshot({ path: artifactPath('dashboard-end.png'), fullPage: true });
  // GraphQL answers (a validation error is HTTP 400) are the panels' business; assets must all load.
  assert.deepEqual(failures.filter((f) => !f.includes('/graphql')), []);
});
