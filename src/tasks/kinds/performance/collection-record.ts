// The record a performance poll keeps in Task.collection, and how it reads in a message.
import type { CollectionRecord, LostWindow } from '../../../db/entities/index.js';
import type { Window } from './collection-windows.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** The record while the poll runs: with the windows it plans to ask for. */
export type WorkingRecord = CollectionRecord & {
  windows: Window[];
  retriedWindows: NonNullable<CollectionRecord['retriedWindows']>;
  recoveredWindows: NonNullable<CollectionRecord['recoveredWindows']>;
  counterResets: NonNullable<CollectionRecord['counterResets']>;
};

export function newRecord(resourceType: string, windows: Window[], skipped: LostWindow | null): WorkingRecord {
  return {
    windows,
    resourceType,
    windowsPlanned: windows.length,
    windowsCollected: 0,
    samples: 0,
    retries: 0,
    collectedFrom: windows[0] ? iso(windows[0].start) : null,
    collectedUntil: null,
    lostWindows: [],
    retriedWindows: [],
    recoveredWindows: [],
    counterResets: [],
    skipped,
  };
}

/** The record without the plan's windows (they are many for a long back-fill). */
export function publicRecord(r: CollectionRecord & { windows?: Window[] }): CollectionRecord {
  const { windows: _windows, ...rest } = r;
  return rest;
}

export function summary(r: CollectionRecord): string {
  const parts = [
    r.recoveredWindows?.length ? `${r.recoveredWindows.length} recovered` : '',
    r.retriedWindows?.length ? `${r.retriedWindows.length} to retry` : '',
    r.lostWindows.length ? `${r.lostWindows.length} lost` : '',
    r.counterResets?.length ? `${r.counterResets.length} counter reset${r.counterResets.length === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `${r.samples} samples in ${r.windowsCollected} of ${r.windowsPlanned} windows${parts.map((p) => `, ${p}`).join('')}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
