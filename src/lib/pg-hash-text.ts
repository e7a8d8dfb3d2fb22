// PostgreSQL's `hashtextextended(text, 0)` in JavaScript: Bob Jenkins' lookup3 hash as
// PostgreSQL runs it (src/common/hashfn.c, hash_bytes_extended, little-endian), over the
// text's UTF-8 bytes. PostgreSQL keeps it stable (hash partitioning depends on it) and
// computes it in C faster than md5; here it is integer-only JavaScript, a fraction of the
// cost of an md5 and its hex string. The result is kept to its low 53 bits
// (`hashtextextended(t, 0) & 9007199254740991` in SQL), so that it is a plain JavaScript
// number: no string to build, compared with ===. Only for a deterministic collation (a
// database's default always is).

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

/** The low 53 bits of PostgreSQL's hashtextextended(s, 0), as a number (0 to 2^53 - 1). */
export function pgHashText53(s: string): number {
  // Encoding into a reused buffer (native) and hashing its bytes is far cheaper than reading
  // the string's characters one by one (a concatenated string is not flat).
  if (scratch.length < s.length * 3) scratch = new Uint8Array(s.length * 3);
  const { written } = encoder.encodeInto(s, scratch);
  return hashBytes(scratch, written);
}

const rot = (x: number, k: number) => (x << k) | (x >>> (32 - k));

function hashBytes(k: Uint8Array, length: number): number {
  let len = length;
  let a = (0x9e3779b9 + len + 3923095) | 0;
  let b = a;
  let c = a;
  let i = 0;
  while (len >= 12) {
    a = (a + (k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24))) | 0;
    b = (b + (k[i + 4]! | (k[i + 5]! << 8) | (k[i + 6]! << 16) | (k[i + 7]! << 24))) | 0;
    c = (c + (k[i + 8]! | (k[i + 9]! << 8) | (k[i + 10]! << 16) | (k[i + 11]! << 24))) | 0;
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    i += 12;
    len -= 12;
  }
  if (len > 10) c = (c + (k[i + 10]! << 24)) | 0;
  if (len > 9) c = (c + (k[i + 9]! << 16)) | 0;
  if (len > 8) c = (c + (k[i + 8]! << 8)) | 0;
  if (len > 7) b = (b + (k[i + 7]! << 24)) | 0;
  if (len > 6) b = (b + (k[i + 6]! << 16)) | 0;
  if (len > 5) b = (b + (k[i + 5]! << 8)) | 0;
  if (len > 4) b = (b + k[i + 4]!) | 0;
  if (len > 3) a = (a + (k[i + 3]! << 24)) | 0;
  if (len > 2) a = (a + (k[i + 2]! << 16)) | 0;
  if (len > 1) a = (a + (k[i + 1]! << 8)) | 0;
  if (len > 0) a = (a + k[i]!) | 0;
  return final(a, b, c);
}

/** lookup3's final(a, b, c); the 64-bit result is b (high word) then c, here its low 53 bits. */
function final(a: number, b: number, c: number): number {
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return (b & 0x1fffff) * 4294967296 + (c >>> 0);
}
