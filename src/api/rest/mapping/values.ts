// Value formats of Delfin's answers: capacities in bytes as JSON numbers, dates in ISO 8601,
// enums in lower case; a value Delfin has no spelling for, and every null, is left out (its
// document lists no nullable field).

/** Bytes (kept as decimal text in PostgreSQL) as a number: exact up to 8 PiB. */
export const bytes = (v: string | number | null | undefined): number | undefined => (v === null || v === undefined ? undefined : Number(v));

export const iso = (d: Date | string | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

/** Our spelling in Delfin's (lower case), when Delfin's enum has it; `also` maps the others. */
export function delfinEnum<T extends string>(value: string | null | undefined, allowed: readonly T[], also: Record<string, T> = {}): T | undefined {
  if (!value) return undefined;
  const lower = value.toLowerCase();
  return (allowed as readonly string[]).includes(lower) ? (lower as T) : also[value];
}

/** The object without its null and undefined fields. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
