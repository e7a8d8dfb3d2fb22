// COPY's text for new rows, encoded straight to bytes (src/db/stores/copy-rows.ts), against the
// same rows formatted value by value with copyText: equal byte for byte, across chunk boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceVolume } from '../../src/drivers/driver.js';
import { CopyRows } from '../../src/db/stores/copy-rows.js';
import { copyText } from '../../src/db/stores/resource-writer.js';
import { VOLUMES } from '../../src/db/stores/resource-table.js';

const storageId = '00000000-0000-4000-8000-000000000001';

function volume(i: number): DeviceVolume {
  return {
    nativeVolumeId: i % 7 === 0 ? `v-${i}\twith\\odd\ncharacters\r` : `vol-${i}`,
    name: i % 5 === 0 ? `ünï€😀 ${'x'.repeat(i % 300)} \\N` : `volume ${i}`,
    description: i % 3 === 0 ? null : `d\t${i}`,
    status: 'AVAILABLE',
    totalCapacity: 2n ** 62n + BigInt(i),
    usedCapacity: BigInt(i),
    freeCapacity: 0n,
    compressed: i % 2 === 0 ? true : undefined,
    deduplicated: i % 4 === 0 ? false : null,
  } as DeviceVolume;
}

test('rows encode as copyText formats them, a row cut across chunks included', () => {
  const rows = new CopyRows(VOLUMES, storageId);
  const items = Array.from({ length: 3000 }, (_, i) => volume(i));
  for (const v of items) rows.add(v);
  assert.equal(rows.count, items.length);
  const chunks = rows.take();
  assert.ok(chunks.length > 1, 'more than one chunk');
  const lines = Buffer.concat(chunks).toString('utf8').split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, items.length);
  for (const [i, line] of lines.entries()) {
    const [id, ...rest] = line.split('\t');
    assert.match(id!, /^[0-9a-f-]{36}$/);
    const expected = [storageId, items[i]!.nativeVolumeId, ...VOLUMES.columns.map((c) => c.value(items[i]!))].map(copyText).join('\t');
    assert.equal(rest.join('\t'), expected, `row ${i}`);
  }
  assert.equal(rows.count, 0, 'take starts afresh');
  assert.deepEqual(rows.take(), []);
});
