// The sync's table of native ids (src/lib/id-table.ts) against a Map, and COPY's fingerprint
// lines parsed into it whole or cut into chunks anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdTable } from '../../src/lib/id-table.js';
import { parseFingerprints } from '../../src/db/stores/resource-writer.js';

const odd = ['', 'a', 'ünï€😀', 'tab\there', 'back\\slash', 'new\nline', 'vol-0001', 'VOL-0001', '  '];

test('gets and sets what a Map would, through growth, for ASCII and other ids', () => {
  const table = new IdTable();
  const map = new Map<string, number>();
  const ids = [...odd, ...Array.from({ length: 50_000 }, (_, i) => `vol-${i}`), ...Array.from({ length: 2000 }, (_, i) => `ü-${i}`)];
  ids.forEach((id, i) => {
    table.set(id, i);
    map.set(id, i);
  });
  table.set('vol-7', -1); // set again: the value changes, the size does not
  map.set('vol-7', -1);
  assert.equal(table.size, map.size);
  for (const [id, v] of map) assert.equal(table.get(id), v, id);
  assert.equal(table.get('vol-50000'), undefined);
  assert.equal(table.get('vol-'), undefined);
  const i = table.indexOf('ünï€😀');
  table.setValueAt(i, 0.5);
  assert.equal(table.valueAt(table.indexOf('ünï€😀')), 0.5);
  assert.deepEqual(table.idsWhere((v) => v === -1 || v === 0.5).sort(), ['vol-7', 'ünï€😀'].sort());
});

test('ids added as bytes are found as strings', () => {
  const table = new IdTable();
  const b = Buffer.from('xxünï€😀yy');
  table.setBytes(b, 2, b.length - 2, 5);
  assert.equal(table.get('ünï€😀'), 5);
});

test("COPY's fingerprint lines read the same whole or in chunks cut anywhere", () => {
  const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  const rows = odd.filter(Boolean).map((id, i) => [id, 2 ** 52 + i] as const);
  const text = Buffer.from(rows.map(([id, f]) => `${escape(id)}\t${f}\n`).join(''));
  const whole = parseFingerprints(text);
  for (const [id, f] of rows) assert.equal(whole.get(id), f, id);
  assert.equal(whole.size, rows.length);
  // Cut at every byte: the same table through the chunked parser of readFingerprints.
  for (let cut = 1; cut < text.length; cut += 7) {
    const parts = parseFingerprints(text.subarray(0, cut), text.subarray(cut, cut + 3), text.subarray(cut + 3));
    assert.equal(parts.size, rows.length, `cut at ${cut}`);
    for (const [id, f] of rows) assert.equal(parts.get(id), f, `${id}, cut at ${cut}`);
  }
});
