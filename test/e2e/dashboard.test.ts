// The dashboard at /ui in a real browser (chromium through playwright-core) against
// `delfin all`: register a simulated array of 20 000 volumes through the form, watch the
// first sync's progress bar go to 100 % and "done" with its SyncStats, read the volume count,
// sync again with the button, edit the schedule, and see the API's errors as its sentences.
// Then the pictures: capacity bars with the API's figures, the performance chart drawing
// the samples a worker collects, the task history, and alerts from real SNMP traps appearing
// live and leaving when cleared from the keyboard.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { artifactPath, launchBrowser, recordFailures } from '../support/browser.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER, STORAGE, TASKS } from '../support/operations.js';
import { policyFile } from '../support/policy-file.js';
import { FAKE_RAISED, fakeVarbind, freeUdpPort, snmpTools, type SnmpTools } from '../support/snmp.js';
import { waitForTask } from '../support/wait.js';

// Metrics may be polled every second here (the sync schedule keeps its own 60 s minimum).
const policy = policyFile({ scheduler: { processEveryMs: 200 }, metrics: { minIntervalSeconds: 1 } });
const t = testEnv('e2e_ui', { SCHEDULER_BACKEND: 'postgres', DELFIN_CONFIG: policy });
const COMMUNITY = 'ui-test-community';
let delfin: DelfinProcess;
let browser: Browser;
let trapPort: number;
let tools: SnmpTools;

before(async () => {
  tools = snmpTools();
  trapPort = await freeUdpPort();
  delfin = await startDelfin('all', { ...t.env, DELFIN_TRAP_PORT: String(trapPort), DELFIN_TRAP_HOST: '127.0.0.1' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await delfin?.stop();
  await t.cleanup();
  tools?.cleanup();
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

/** docs/images/dashboard.png, written only with DELFIN_SCREENSHOTS=1 (the docs show it). */
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../../docs/images/dashboard.png', import.meta.url));

/** Pixels of the chart's canvas in the line's colour (uPlot strokes #2459c7). */
const LINE_PIXELS = `(() => {
  const canvas = document.querySelector('.performance .chart canvas');
  if (!canvas) return 0;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - 36) < 20 && Math.abs(data[i + 1] - 89) < 20 && Math.abs(data[i + 2] - 199) < 20 && data[i + 3] > 200) n++;
  return n;
})()`;

/** An element's computed background colour, run in the page (the test is built without DOM types). */
const BACKGROUND = (el: unknown) => (globalThis as any).getComputedStyle(el).backgroundColor as string;

const SET_SOURCE = `mutation Set($id: ID!, $input: AlertSourceInput!) { setAlertSource(storageId: $id, input: $input) { host } }`;
const ALERT_STATE = `query A($storageId: ID) { alerts(storageId: $storageId) { edges { node { sequenceNumber state } } } }`;

/** A simulator trap (issue 15's OIDs) as the array at 127.0.0.1 sends it. */
async function raise(sequenceNumber: string, severity: string, name: string): Promise<void> {
  const varbinds = [
    fakeVarbind(1, `FAKE-${severity.toUpperCase()}`),
    fakeVarbind(2, name),
    fakeVarbind(3, severity),
    fakeVarbind(4, 'Fault'),
    fakeVarbind(5, `${name.toLowerCase()} (${sequenceNumber})`),
    fakeVarbind(6, 'shelf 1, bay 4'),
    fakeVarbind(7, sequenceNumber),
    fakeVarbind(8, 'Disk'),
  ];
  await tools.send('snmptrap', ['-v', '2c', '-c', COMMUNITY, `127.0.0.1:${trapPort}`, '', FAKE_RAISED, ...varbinds.flat()]);
}

test('capacity bars show the API figures, the chart draws collected samples, the history lists tasks, alerts come and go live', { timeout: 180_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const failures = recordFailures(page);
  await page.goto(new URL('/ui/', delfin.url).toString());
  await page.getByRole('heading', { name: 'Storages' }).waitFor();

  // An array that gives one sample a second, registered through the API; its first sync ends.
  const input = fakeInput('ui-pictures.example', { pools: 3, volumes: 12, metricStepSeconds: 1 }, 'ui-pictures');
  const { registerStorage } = await gql(delfin.url, REGISTER, { input });
  const storageId: string = registerStorage.id;
  const { tasks } = await gql(delfin.url, TASKS, { storageId });
  const syncId: string = tasks.edges[0].node.id;
  await waitForTask(delfin.url, syncId);
  await gql(delfin.url, SET_SOURCE, { id: storageId, input: { host: '127.0.0.1', version: 'V2C', community: COMMUNITY } });

  // Capacity bars: the storage's in the list and in its detail, each pool's, with the API's figures.
  const row = page.locator(`table.storages tr[data-storage-id="${storageId}"]`);
  await row.waitFor({ timeout: 30_000 });
  await row.getByRole('button', { name: 'ui-pictures' }).click();
  const { storage } = await gql(delfin.url, STORAGE, { id: storageId, first: 10 });
  const expectedPercent = String(Math.round((Number(storage.usedCapacity) / Number(storage.totalCapacity)) * 100));
  for (const bar of [row.locator('.capacity'), page.locator('[data-testid=detail-capacity] .capacity')]) {
    assert.equal(await bar.getAttribute('data-used'), storage.usedCapacity);
    assert.equal(await bar.getAttribute('data-total'), storage.totalCapacity);
    assert.equal(await bar.getByRole('meter').getAttribute('aria-valuenow'), expectedPercent);
  }
  const pools = page.getByTestId('pools-table');
  await pools.locator('tbody tr').first().waitFor();
  assert.equal(await pools.locator('tbody tr').count(), 3);
  for (const { node: p } of storage.pools.edges) {
    const bar = pools.locator('tbody tr', { hasText: p.name }).locator('.capacity');
    assert.equal(await bar.getAttribute('data-used'), p.usedCapacity, `pool ${p.name}`);
    assert.equal(await bar.getAttribute('data-total'), p.totalCapacity, `pool ${p.name}`);
    assert.ok(Number(p.usedCapacity) > 0, 'the simulator fills its pools a little');
  }
  assert.equal(await page.getByRole('meter', { name: `Capacity of pool ${storage.pools.edges[0].node.name}` }).count(), 1);

  // The chart: array polling every 2 s, set in the Metrics collection panel; the samples the
  // worker collects are drawn (points counted, and line-coloured pixels on the canvas).
  const metrics = page.getByRole('region', { name: 'Metrics collection' });
  await metrics.getByLabel('Array: interval in seconds').fill('2');
  await metrics.getByRole('button', { name: 'Save' }).click();
  await metrics.getByText('saved').waitFor({ timeout: 30_000 });
  await page.waitForFunction(`Number(document.querySelector('.performance .chart')?.dataset.points ?? 0) >= 5`, undefined, { timeout: 60_000 });
  const chart = page.getByRole('region', { name: 'Performance' });
  assert.equal(await chart.locator('select').inputValue(), 'iops');
  assert.match((await chart.locator('figcaption').textContent()) ?? '', /^iops \(IOPS\): \d+ points, latest [\d,.]+$/);
  await page.waitForFunction(`${LINE_PIXELS} > 100`, undefined, { timeout: 10_000 });

  // The history: the first sync with its duration and 100 %, and the collections as they run.
  const history = page.getByRole('region', { name: 'Task history' });
  const syncRow = history.locator(`tr[data-task-id="${syncId}"]`);
  assert.equal(await syncRow.getAttribute('data-status'), 'SUCCEEDED');
  assert.equal((await syncRow.locator('td').first().textContent())?.trim(), 'sync resources');
  assert.match((await syncRow.locator('.duration').textContent()) ?? '', /^\d+(\.\d)? m?s$|^\d+ min \d+ s$/);
  assert.equal((await syncRow.locator('.history-progress').textContent())?.trim(), '100 %');
  await history.locator('tr', { hasText: 'collect performance' }).first().waitFor({ timeout: 30_000 });

  // Alerts: two traps appear live with their severity's colour ...
  const alerts = page.getByRole('region', { name: 'Open alerts' });
  await raise('ui-7001', 'Critical', 'Controller down');
  await raise('ui-7002', 'Minor', 'Fan slow');
  const critical = alerts.locator('.alert[data-sequence-number="ui-7001"]');
  const minor = alerts.locator('.alert[data-sequence-number="ui-7002"]');
  await critical.waitFor({ timeout: 30_000 });
  await minor.waitFor({ timeout: 30_000 });
  assert.equal(await critical.getAttribute('data-severity'), 'CRITICAL');
  assert.equal(await critical.locator('.severity').evaluate(BACKGROUND), 'rgb(180, 35, 24)');
  assert.equal(await minor.locator('.severity').evaluate(BACKGROUND), 'rgb(154, 103, 0)');
  assert.match((await critical.textContent()) ?? '', /Controller down on ui-pictures/);
  // The storage's row counts them, in the colour of the worst.
  const count = row.getByTestId('storage-alerts');
  await page.waitForFunction(`document.querySelector('tr[data-storage-id="${storageId}"] [data-testid=storage-alerts]')?.textContent === '2 open'`);
  assert.match((await count.getAttribute('class')) ?? '', /severity-critical/);

  if (process.env.DELFIN_SCREENSHOTS === '1') {
    mkdirSync(dirname(DOCS_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: DOCS_SCREENSHOT, fullPage: true });
  }
  await page.screenshot({ path: artifactPath('dashboard-pictures.png'), fullPage: true });

  // ... and the critical one is cleared from the keyboard: focus its button, press Enter.
  await alerts.getByRole('button', { name: /^Clear alert Controller down on ui-pictures/ }).focus();
  await page.keyboard.press('Enter');
  await critical.waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(await minor.count(), 1, 'the other alert stays');
  assert.equal((await count.textContent())?.trim(), '1 open');
  assert.match((await count.getAttribute('class')) ?? '', /severity-minor/);
  const states = (await gql(delfin.url, ALERT_STATE, { storageId })).alerts.edges.map((e: any) => `${e.node.sequenceNumber} ${e.node.state}`).sort();
  assert.deepEqual(states, ['ui-7001 CLEARED', 'ui-7002 OPEN']);

  // Another metric: the select names each with its unit.
  await chart.locator('select').selectOption('responseTime');
  await page.waitForFunction(`/^responseTime \\(ms\\): \\d+ points/.test(document.querySelector('.performance figcaption')?.textContent ?? '')`);

  assert.deepEqual(failures.filter((f) => !f.includes('/graphql')), []);
});
