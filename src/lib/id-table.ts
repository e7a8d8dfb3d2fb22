// A map from string ids to numbers kept in typed arrays: the ids' UTF-8 bytes in one arena, an
// open-addressing index over them. A sync keeps one entry per volume of an array (a million on
// the largest): as a Map that is a million strings and entries on the JavaScript heap, which the
// garbage collector traces and lets the heap grow by a multiple of; here it is a few flat buffers
// outside it (about 30 bytes per 12-character id), filled straight from COPY's bytes without
// making a string per id.

const EMPTY = 0;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class IdTable {
  /** The ids' bytes, one after another; entry i is bytes[starts[i], starts[i + 1]). */
  private bytes = new Uint8Array(1 << 16);
  private starts = new Uint32Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  private values = new Float64Array(1 << 10);
  /** Open addressing: entry index + 1 per slot, EMPTY where none; twice the entries at least. */
  private slots = new Int32Array(1 << 11);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The id's value, or undefined when the id is not in the table. */
  get(id: string): number | undefined {
    const i = this.indexOf(id);
    return i < 0 ? undefined : this.values[i];
  }

  /** Sets the id's value, adding the id when it is new. */
  set(id: string, value: number): void {
    if (!isAscii(id)) {
      const bytes = encoder.encode(id);
      this.setBytes(bytes, 0, bytes.length, value);
      return;
    }
    const found = this.indexOf(id);
    if (found >= 0) this.values[found] = value;
    else this.appendAscii(id, value);
  }

  /** Adds an id known to be absent (indexOf answered -1): no second lookup. */
  add(id: string, value: number): void {
    if (isAscii(id)) this.appendAscii(id, value);
    else {
      const b = encoder.encode(id);
      this.append(b, 0, b.length, hashBytes(b, 0, b.length), value);
    }
  }

  /** The entry of an id (a string), -1 when absent; for valueAt and setValueAt. */
  indexOf(id: string): number {
    const ascii = isAscii(id);
    if (!ascii) {
      const b = encoder.encode(id);
      return this.find(b, 0, b.length, hashBytes(b, 0, b.length));
    }
    const h = hashAscii(id);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) return -1;
      if (this.hashes[e - 1] === h && this.equalsAscii(e - 1, id)) return e - 1;
    }
  }

  valueAt(index: number): number {
    return this.values[index]!;
  }

  setValueAt(index: number, value: number): void {
    this.values[index] = value;
  }

  /** Sets the value of the id whose UTF-8 bytes are buf[start, end), adding it when new. */
  setBytes(buf: Uint8Array, start: number, end: number, value: number): void {
    const h = hashBytes(buf, start, end);
    const found = this.find(buf, start, end, h);
    if (found >= 0) {
      this.values[found] = value;
      return;
    }
    this.append(buf, start, end, h, value);
  }

  /** The ids whose value passes the test (strings made only for those). */
  idsWhere(test: (value: number) => boolean): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) if (test(this.values[i]!)) out.push(this.idAt(i));
    return out;
  }

  private idAt(i: number): string {
    return decoder.decode(this.bytes.subarray(this.starts[i]!, this.starts[i + 1]!));
  }

  private find(buf: Uint8Array, start: number, end: number, h: number): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) return -1;
      if (this.hashes[e - 1] === h && this.equalsBytes(e - 1, buf, start, end)) return e - 1;
    }
  }

  private equalsAscii(i: number, id: string): boolean {
    const from = this.starts[i]!;
    if (this.starts[i + 1]! - from !== id.length) return false;
    for (let k = 0; k < id.length; k++) if (this.bytes[from + k] !== id.charCodeAt(k)) return false;
    return true;
  }

  private equalsBytes(i: number, buf: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[i]!;
    if (this.starts[i + 1]! - from !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (this.bytes[from + k] !== buf[start + k]) return false;
    return true;
  }

  private append(buf: Uint8Array, start: number, end: number, h: number, value: number): void {
    const i = this.count;
    if (i + 2 > this.starts.length) this.growEntries();
    if ((i + 1) * 2 > this.slots.length) this.growSlots();
    const at = this.starts[i]!;
    const need = at + (end - start);
    if (need > this.bytes.length) this.bytes = grown(this.bytes, need);
    this.bytes.set(buf.subarray(start, end), at);
    this.place(i, h, value, need);
  }

  /** An ASCII id's char codes are its bytes: written into the arena as they are. */
  private appendAscii(id: string, value: number): void {
    const i = this.count;
    if (i + 2 > this.starts.length) this.growEntries();
    if ((i + 1) * 2 > this.slots.length) this.growSlots();
    const at = this.starts[i]!;
    const need = at + id.length;
    if (need > this.bytes.length) this.bytes = grown(this.bytes, need);
    for (let k = 0; k < id.length; k++) this.bytes[at + k] = id.charCodeAt(k);
    this.place(i, hashAscii(id), value, need);
  }

  /** Entry i (its bytes written up to `end`) takes its slot. */
  private place(i: number, h: number, value: number, end: number): void {
    this.starts[i + 1] = end;
    this.hashes[i] = h;
    this.values[i] = value;
    this.count = i + 1;
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
    this.slots[s] = i + 1;
  }

  private growEntries(): void {
    const n = this.starts.length * 2;
    this.starts = grown(this.starts, n);
    this.hashes = grown(this.hashes, n);
    this.values = grown(this.values, n);
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let s = this.hashes[i]! & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = i + 1;
    }
    this.slots = slots;
  }
}

type Typed = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** A copy at least `need` long (doubling), the contents kept. */
function grown<T extends Typed>(a: T, need: number): T {
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  return b;
}

function isAscii(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) > 127) return false;
  return true;
}

/** FNV-1a over bytes; for an ASCII string, the same over its char codes (equal to its bytes). */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = start; k < end; k++) h = Math.imul(h ^ buf[k]!, 0x01000193);
  return mix(h);
}

function hashAscii(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return mix(h);
}

/** Spreads FNV's low bits (the slot index), which sequential ids leave clustered. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
