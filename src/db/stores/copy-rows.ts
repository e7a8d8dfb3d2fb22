// Rows for COPY ... FROM STDIN (text format), encoded to bytes as they are added: a sync's new
// volumes wait for their batch as a few 64 KiB buffers, not as objects. Held as objects, a batch
// outlived the young generation and was promoted, so a million-volume sync promoted a million
// objects, which kept the old generation (and the process's memory) growing between collections.
import { newId } from '../../lib/ids.js';
import type { ResourceTable } from './resource-table.js';

const CHUNK = 1 << 16;
const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;

export class CopyRows<D> {
  private chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK);
  private at = 0;
  private rows = 0;

  constructor(
    private readonly t: ResourceTable<D>,
    private readonly storageId: string,
  ) {}

  get count(): number {
    return this.rows;
  }

  /** One row: a new id, the storage, the native id and the table's columns. */
  add(d: D): void {
    this.text(newId());
    this.byte(TAB);
    this.text(this.storageId);
    this.byte(TAB);
    this.value(this.t.nativeId(d));
    for (const c of this.t.columns) {
      this.byte(TAB);
      this.value(c.value(d));
    }
    this.byte(NEWLINE);
    this.rows++;
  }

  /** The bytes of every row added since the last take, and a fresh start. */
  take(): Buffer[] {
    const out = this.chunks;
    if (this.at > 0) out.push(this.buf.subarray(0, this.at));
    this.chunks = [];
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.at = 0;
    this.rows = 0;
    return out;
  }

  private value(v: string | boolean | bigint | number | null | undefined): void {
    if (v === null || v === undefined) this.text('\\N');
    else if (typeof v === 'string') this.escaped(v);
    else this.text(String(v)); // numbers and booleans need no escape
  }

  /** A string with COPY's escapes for backslash, tab, newline and carriage return. */
  private escaped(s: string): void {
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c > 127) {
        this.utf8(s.slice(k));
        return;
      }
      if (c === BACKSLASH || c === TAB || c === NEWLINE || c === 13) {
        this.byte(BACKSLASH);
        this.byte(c === BACKSLASH ? BACKSLASH : c === TAB ? 116 : c === NEWLINE ? 110 : 114);
      } else this.byte(c);
    }
  }

  /** The rest of a string that is not ASCII: escaped as text, then encoded once. */
  private utf8(s: string): void {
    const text = s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!);
    const n = Buffer.byteLength(text);
    if (this.at + n > this.buf.length) this.next(n);
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  /** ASCII text that needs no escape (ids, numbers). */
  private text(s: string): void {
    if (this.at + s.length > this.buf.length) this.next(s.length);
    for (let k = 0; k < s.length; k++) this.buf[this.at++] = s.charCodeAt(k);
  }

  private byte(c: number): void {
    if (this.at >= this.buf.length) this.next(1);
    this.buf[this.at++] = c;
  }

  /** Closes the current chunk and opens one with room for `need` bytes. */
  private next(need: number): void {
    if (this.at > 0) this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, need));
    this.at = 0;
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
