// The checks of one field of what a driver returns: each says what is wrong with a value, or
// nothing when it will be stored as it is. Drivers are other people's code, often in plain
// JavaScript: nothing they return is trusted to match the types of driver.ts.

/** Says what is wrong with a value (e.g. "must be a non-empty string"), or undefined. */
export type FieldCheck = (value: unknown) => string | undefined;

/** Longest native id and longest other text kept, in characters. */
export const MAX_ID_LENGTH = 1024;
export const MAX_TEXT_LENGTH = 4096;
/** Capacities are PostgreSQL bigints. */
export const MAX_BYTES = 2n ** 63n - 1n;

/** A UTF-16 surrogate without its pair: UTF-8 has no form for it, so it would be stored as U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const absent = (v: unknown) => v === undefined || v === null;

/** A short picture of a bad value for the message: never a megabyte, never a raw NUL. */
export function preview(v: unknown): string {
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function textProblem(v: string, max: number): string | undefined {
  if (v.length > max) return `must be at most ${max} characters (got ${v.length})`;
  if (v.includes('\u0000')) return 'must not contain a NUL character';
  // Stored as U+FFFD, it would differ from the device's at every sync.
  if (LONE_SURROGATE.test(v)) return 'must be well-formed Unicode (it has a lone surrogate)';
  return undefined;
}

/** A native id: a non-empty string. */
export const nativeId: FieldCheck = (v) =>
  typeof v !== 'string' || v === '' ? 'must be a non-empty string' : textProblem(v, MAX_ID_LENGTH);

/** Text the device must give (a name): a string, possibly empty. */
export const requiredText: FieldCheck = (v) => (typeof v !== 'string' ? 'must be a string' : textProblem(v, MAX_TEXT_LENGTH));

export const optionalText: FieldCheck = (v) => (absent(v) ? undefined : requiredText(v));

const bytesProblem = (v: unknown) =>
  typeof v !== 'bigint' || v < 0n || v > MAX_BYTES ? 'must be a bigint number of bytes from 0 to 2^63-1' : undefined;

export const requiredBytes: FieldCheck = bytesProblem;
export const optionalBytes: FieldCheck = (v) => (absent(v) ? undefined : bytesProblem(v));

/** One of the contract's enum values (an unknown one would break every query reading the row). */
export function oneOf(values: readonly string[], optional = false): FieldCheck {
  return (v) => (optional && absent(v)) || (typeof v === 'string' && values.includes(v)) ? undefined : `must be one of ${values.join(', ')}`;
}

export const optionalFlag: FieldCheck = (v) => (absent(v) || typeof v === 'boolean' ? undefined : 'must be true, false or null');

/** A speed in Gbit/s: a finite number, not negative. */
export const optionalRate: FieldCheck = (v) =>
  absent(v) || (typeof v === 'number' && Number.isFinite(v) && v >= 0) ? undefined : 'must be a finite number, not negative';
