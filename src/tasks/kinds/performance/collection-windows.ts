// Which windows a performance poll asks the driver for: a pure function of the clock, the end of
// the last window collected and the polling config, so its rules are tested on their own.
//
// - First poll: the latest interval, reaching back `overlap` further.
// - Historic: everything since the last window (less the overlap), back to the horizon at most,
//   in chunks; what lies beyond the horizon is reported as skipped.
// - Not historic: only the latest interval (less the overlap); a gap after downtime is skipped.

export interface Window {
  start: number;
  end: number;
}

export interface WindowPlanInput {
  now: number;
  /** End of the last window collected (ms), or null before the first poll. */
  collectedUntil: number | null;
  intervalSeconds: number;
  isHistoric: boolean;
  overlapSeconds: number;
  horizonSeconds: number;
  chunkSeconds: number;
}

export interface WindowPlan {
  windows: Window[];
  /** Time that will not be collected (beyond the horizon, or downtime of a non-historic poll). */
  skipped?: Window;
}

export function planWindows(p: WindowPlanInput): WindowPlan {
  const overlap = p.overlapSeconds * 1000;
  const latest = p.now - p.intervalSeconds * 1000;
  let start: number;
  let skipped: Window | undefined;
  if (p.collectedUntil === null) {
    start = latest - overlap;
  } else if (p.isHistoric) {
    start = p.collectedUntil - overlap;
    const horizon = p.now - p.horizonSeconds * 1000;
    if (start < horizon) {
      skipped = { start, end: horizon };
      start = horizon;
    }
  } else {
    if (p.collectedUntil < latest) skipped = { start: p.collectedUntil, end: latest };
    start = Math.max(p.collectedUntil, latest) - overlap;
  }
  return { windows: chunks(start, p.now, p.chunkSeconds * 1000), ...(skipped ? { skipped } : {}) };
}

function chunks(start: number, end: number, size: number): Window[] {
  const out: Window[] = [];
  for (let s = start; s < end; s += size) out.push({ start: s, end: Math.min(end, s + size) });
  return out;
}

/**
 * A counter-based driver reads its counters now and reports rates since its previous reading,
 * whatever the window: one window, from where the last reading stopped (one interval back the
 * first time) to now. A reading that failed leaves the mark, so the next good one covers the gap.
 */
export function counterWindow(now: number, collectedUntil: number | null, intervalSeconds: number): Window {
  return { start: Math.min(collectedUntil ?? now - intervalSeconds * 1000, now), end: now };
}
