// setSyncSchedule's cron check: the parser Agenda computes run times with, plus the minimum
// interval, and no expression Agenda would read as something else (a number, words).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronProblem } from '../../src/lib/cron.js';

const FROM = new Date('2026-11-27T12:00:00Z');

test('valid expressions at or above the minimum pass', () => {
  for (const e of ['*/5 * * * *', '0 */6 * * *', '0 9 * * 1-5', '@daily', '@hourly', '30 * * * * *']) {
    assert.equal(cronProblem(e, 60, FROM), undefined, e);
  }
});

test('an expression that runs more often than the minimum is refused, saying how often', () => {
  assert.match(cronProblem('* * * * * *', 60, FROM)!, /every 1 s, under the minimum interval of 60 seconds/);
  assert.match(cronProblem('*/5 * * * *', 600, FROM)!, /every 300 s/);
  assert.equal(cronProblem('*/10 * * * * *', 10, FROM), undefined, 'exactly the minimum passes');
  // Irregular: every 5 minutes during one hour only; the shortest gap counts.
  assert.match(cronProblem('*/5 9 * * *', 600, new Date('2026-11-27T08:59:00Z'))!, /every 300 s/);
});

test('what is not a 5- or 6-field cron expression is refused, naming it', () => {
  for (const e of ['', '   ', '60', '5 minutes', 'every minute', '* * * *', '* * * * * * *']) {
    assert.match(cronProblem(e, 1, FROM) ?? '', /is not a cron expression/, JSON.stringify(e));
  }
  for (const e of ['61 * * * *', '* 25 * * *', 'a b c d e', '0 0 30 2 *']) {
    assert.match(cronProblem(e, 1, FROM) ?? '', /is not a valid cron expression/, e);
  }
});
