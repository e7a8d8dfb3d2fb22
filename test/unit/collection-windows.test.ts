import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planWindows, type WindowPlanInput } from '../../src/tasks/kinds/performance/collection-windows.js';

const S = 1000;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const base: WindowPlanInput = { now: NOW, collectedUntil: null, intervalSeconds: 300, isHistoric: false, overlapSeconds: 60, horizonSeconds: 86_400, chunkSeconds: 3600 };

describe('performance windows', () => {
  test('the first poll takes the latest interval and the overlap', () => {
    assert.deepEqual(planWindows(base), { windows: [{ start: NOW - 360 * S, end: NOW }] });
  });

  test('a regular poll starts where the last ended, less the overlap', () => {
    const p = planWindows({ ...base, collectedUntil: NOW - 300 * S });
    assert.deepEqual(p, { windows: [{ start: NOW - 360 * S, end: NOW }] });
  });

  test('after downtime a historic poll back-fills everything since the last window, in chunks', () => {
    const p = planWindows({ ...base, isHistoric: true, collectedUntil: NOW - 3 * 3600 * S });
    assert.equal(p.skipped, undefined);
    assert.equal(p.windows.length, 4);
    assert.equal(p.windows[0]!.start, NOW - 3 * 3600 * S - 60 * S);
    assert.equal(p.windows.at(-1)!.end, NOW);
    for (let i = 1; i < p.windows.length; i++) assert.equal(p.windows[i]!.start, p.windows[i - 1]!.end, 'contiguous');
    assert.ok(p.windows.every((w) => w.end - w.start <= 3600 * S));
  });

  test('a historic back-fill stops at the horizon and says what it skipped', () => {
    const p = planWindows({ ...base, isHistoric: true, collectedUntil: NOW - 3 * 86_400 * S });
    assert.deepEqual(p.skipped, { start: NOW - 3 * 86_400 * S - 60 * S, end: NOW - 86_400 * S });
    assert.equal(p.windows[0]!.start, NOW - 86_400 * S);
    assert.equal(p.windows.length, 24);
  });

  test('a poll without isHistoric takes only the latest window and reports the gap', () => {
    const p = planWindows({ ...base, collectedUntil: NOW - 3600 * S });
    assert.deepEqual(p.windows, [{ start: NOW - 360 * S, end: NOW }]);
    assert.deepEqual(p.skipped, { start: NOW - 3600 * S, end: NOW - 300 * S });
  });

  test('a mark in the future (clock skew) plans nothing', () => {
    assert.deepEqual(planWindows({ ...base, overlapSeconds: 0, collectedUntil: NOW + 10 * S }).windows, []);
  });
});
