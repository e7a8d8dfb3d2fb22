// Deterministic 32-bit hashing (MurmurHash3's mixing steps). The simulator draws every value
// from a hash of what it describes (seed, index, field...), so any volume, pool or sample can
// be computed alone, in any order, in any process, with the same result. Integer-only mixing
// keeps it cheap: a 100 000-volume array needs about a million draws.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const TWO_POW_32 = 4294967296;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** One MurmurHash3 block step: folds the 32-bit integer `k` into the state `h`. */
function step(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = rotl(k, 15);
  k = Math.imul(k, C2);
  h ^= k;
  h = rotl(h, 13);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: every input bit flips about half the output bits. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a string (UTF-16 code units), as an unsigned 32-bit integer. */
export function hashString(s: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < s.length; i++) h = step(h, s.charCodeAt(i));
  return fmix32(h ^ s.length);
}

/** Hash of two integers (each taken modulo 2^32), as an unsigned 32-bit integer. */
export function hash2(a: number, b: number): number {
  return fmix32(step(step(0, a), b) ^ 8);
}

/** Hash of three integers (each taken modulo 2^32), as an unsigned 32-bit integer. */
export function hash3(a: number, b: number, c: number): number {
  return fmix32(step(step(step(0, a), b), c) ^ 12);
}

/** Maps a 32-bit hash to [0, 1). */
export function toUnit(h: number): number {
  return (h >>> 0) / TWO_POW_32;
}

/** A draw in [0, 1) for field number `field` of the thing hashed to `h`. */
export function draw(h: number, field: number): number {
  return toUnit(hash2(h, field));
}

/** An integer in [min, max] for field number `field` of the thing hashed to `h`. */
export function drawInt(h: number, field: number, min: number, max: number): number {
  return min + Math.floor(draw(h, field) * (max - min + 1));
}
