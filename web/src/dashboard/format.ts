// How numbers read on the page: bytes with binary units, counts with separators, percents.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Bytes (the API's BigInt decimal strings) for people: 1.5 TiB. */
export function formatBytes(bytes: string | null | undefined): string {
  if (bytes == null) return '–';
  let scaled = Number(bytes);
  if (!Number.isFinite(scaled)) return bytes;
  let unit = 0;
  while (scaled >= 1024 && unit < UNITS.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return unit === 0 ? `${scaled} B` : `${scaled.toFixed(scaled >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A task's progress (0..1) as a whole percent. */
export function percent(progress: number): number {
  return Math.round(Math.max(0, Math.min(1, progress)) * 100);
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '–';
}

/** A task's run time, from start to end (or to now while it runs): 850 ms, 12.3 s, 4 min 5 s. */
export function formatDuration(startedAt: string | null | undefined, finishedAt: string | null | undefined): string {
  if (!startedAt) return '–';
  const ms = (finishedAt ? Date.parse(finishedAt) : Date.now()) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
