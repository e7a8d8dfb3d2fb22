import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { afterFailure, retryDelayMs } from '../../src/tasks/kinds/performance/window-retries.js';
import { counterWindow } from '../../src/tasks/kinds/performance/collection-windows.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const DEFAULT = { tries: 5, horizonSeconds: 4500 };

describe('failed performance windows', () => {
  test('the default spreads 5 tries over 75 minutes: 5, 10, 20 and 40 minutes apart', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(DEFAULT, n) / MIN), [5, 10, 20, 40]);
  });

  test('a window is kept with its next try until the last try, then lost', () => {
    let w = afterFailure(DEFAULT, { start: NOW - 15 * MIN, end: NOW }, NOW, 'boom');
    assert.deepEqual(w, { lost: false, window: { start: NOW - 15 * MIN, end: NOW, tries: 1, firstFailedAt: NOW, nextTryAt: NOW + 5 * MIN, lastError: 'boom' } });
    for (const at of [5, 15, 35]) {
      w = afterFailure(DEFAULT, w.window, NOW + at * MIN, 'boom');
      assert.equal(w.lost, false);
    }
    assert.equal(w.window.tries, 4);
    assert.equal(w.window.nextTryAt, NOW + 75 * MIN);
    assert.equal(afterFailure(DEFAULT, w.window, NOW + 75 * MIN, 'boom').lost, true);
  });

  test('one try loses at once; failing still past the horizon loses too', () => {
    assert.equal(afterFailure({ tries: 1, horizonSeconds: 60 }, { start: 0, end: 1 }, NOW, 'x').lost, true);
    const first = afterFailure(DEFAULT, { start: 0, end: 1 }, NOW, 'x').window;
    assert.equal(afterFailure(DEFAULT, first, NOW + 76 * MIN, 'x').lost, true);
  });

  test('a counter-based poll covers everything since the last reading, one interval back the first time', () => {
    assert.deepEqual(counterWindow(NOW, null, 300), { start: NOW - 5 * MIN, end: NOW });
    assert.deepEqual(counterWindow(NOW, NOW - 42 * MIN, 300), { start: NOW - 42 * MIN, end: NOW });
  });
});
