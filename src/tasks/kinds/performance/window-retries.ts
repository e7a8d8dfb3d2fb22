// When a failed performance window is tried again, and when it is given up: `tries` polls (the
// first included) spread over `horizonSeconds` with a doubling back-off (5 over 75 minutes: 5,
// 10, 20 and 40 minutes after the first failure's poll). Pure, so its rule is tested on its own.
import type { FailedWindow } from '../../../db/stores/window-retry-store.js';
import type { WindowRetryPolicy } from '../../../metrics-policy.js';
import type { Window } from './collection-windows.js';

/** The wait after the `tries`-th failed poll of a window. */
export function retryDelayMs(policy: WindowRetryPolicy, tries: number): number {
  const first = (policy.horizonSeconds * 1000) / (2 ** (policy.tries - 1) - 1);
  return first * 2 ** (tries - 1);
}

export interface FailureOutcome {
  /** Given up: tried `policy.tries` times, or failing still after the horizon. */
  lost: boolean;
  window: FailedWindow;
}

/** A window (new, or from the list) failed once more at `now`. */
export function afterFailure(policy: WindowRetryPolicy, w: Window & Partial<FailedWindow>, now: number, error: string): FailureOutcome {
  const tries = (w.tries ?? 0) + 1;
  const firstFailedAt = w.firstFailedAt ?? now;
  const lost = tries >= policy.tries || now - firstFailedAt >= policy.horizonSeconds * 1000;
  const nextTryAt = lost ? now : now + retryDelayMs(policy, tries);
  return { lost, window: { start: w.start, end: w.end, tries, firstFailedAt, nextTryAt, lastError: error } };
}
