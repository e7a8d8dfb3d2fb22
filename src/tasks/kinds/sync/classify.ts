// The diff at the heart of every sync (Delfin's `_classify_resources`), as a pure function:
// resources on the device and not stored are added; on both, updated where they differ; stored
// and not on the device, deleted. Native ids are the keys.

export interface Classified<D, S> {
  added: D[];
  updated: Array<{ device: D; stored: S }>;
  unchanged: number;
  /** Empty unless `deleteMissing`: a page of a listing cannot tell what is missing. */
  deleted: S[];
}

export interface ClassifyOptions<D, S> {
  deviceKey: (d: D) => string;
  storedKey: (s: S) => string;
  same: (d: D, s: S) => boolean;
  /** True when `device` is the whole listing, so stored resources it lacks are gone. */
  deleteMissing: boolean;
}

export function classifyResources<D, S>(
  device: Iterable<D>,
  stored: Iterable<S>,
  opts: ClassifyOptions<D, S>,
): Classified<D, S> {
  const storedByKey = new Map<string, S>();
  for (const s of stored) storedByKey.set(opts.storedKey(s), s);

  const result: Classified<D, S> = { added: [], updated: [], unchanged: 0, deleted: [] };
  const seen = new Set<string>();
  for (const d of device) {
    const key = opts.deviceKey(d);
    if (seen.has(key)) continue; // a device listing an id twice: the first one counts
    seen.add(key);
    const s = storedByKey.get(key);
    if (s === undefined) result.added.push(d);
    else if (opts.same(d, s)) result.unchanged += 1;
    else result.updated.push({ device: d, stored: s });
  }
  if (opts.deleteMissing) {
    for (const [key, s] of storedByKey) if (!seen.has(key)) result.deleted.push(s);
  }
  return result;
}
