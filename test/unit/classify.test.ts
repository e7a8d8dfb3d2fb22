import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { classifyResources, type ClassifyOptions } from '../../src/tasks/kinds/sync/classify.js';

interface Dev {
  id: string;
  size: number;
}
interface Row {
  nid: string;
  size: number;
  rowId: string;
}

const opts = (deleteMissing: boolean): ClassifyOptions<Dev, Row> => ({
  deviceKey: (d) => d.id,
  storedKey: (s) => s.nid,
  same: (d, s) => d.size === s.size,
  deleteMissing,
});

const dev = (id: string, size: number): Dev => ({ id, size });
const row = (nid: string, size: number): Row => ({ nid, size, rowId: `row-${nid}` });

describe('classifyResources', () => {
  test('new, changed, unchanged and missing resources are told apart', () => {
    const device = [dev('a', 1), dev('b', 2), dev('c', 3)];
    const stored = [row('b', 2), row('c', 30), row('z', 9)];
    const r = classifyResources(device, stored, opts(true));
    assert.deepEqual(r.added, [dev('a', 1)]);
    assert.deepEqual(r.updated, [{ device: dev('c', 3), stored: row('c', 30) }]);
    assert.equal(r.unchanged, 1);
    assert.deepEqual(r.deleted, [row('z', 9)]);
  });

  test('updated pairs carry the stored row (its row id) with the device resource', () => {
    const r = classifyResources([dev('x', 2)], [row('x', 1)], opts(false));
    assert.equal(r.updated.length, 1);
    assert.equal(r.updated[0]!.stored.rowId, 'row-x');
    assert.equal(r.updated[0]!.device.size, 2);
  });

  test('deleteMissing false: stored resources missing from the page are not deleted', () => {
    const r = classifyResources([dev('a', 1)], [row('a', 1), row('b', 2), row('c', 3)], opts(false));
    assert.deepEqual(r.deleted, []);
    assert.equal(r.unchanged, 1);
    assert.deepEqual(r.added, []);
    assert.deepEqual(r.updated, []);
  });

  test('deleteMissing true: every stored resource missing from the listing is deleted', () => {
    const r = classifyResources([dev('a', 1)], [row('a', 1), row('b', 2), row('c', 3)], opts(true));
    assert.deepEqual(
      r.deleted.map((s) => s.nid),
      ['b', 'c'],
    );
  });

  test('a device listing an id twice: the first one counts, the second is ignored', () => {
    // first is unchanged against the stored row; the later duplicate would be an update
    const r1 = classifyResources([dev('a', 1), dev('a', 99)], [row('a', 1)], opts(true));
    assert.equal(r1.unchanged, 1);
    assert.deepEqual(r1.updated, []);
    assert.deepEqual(r1.added, []);
    assert.deepEqual(r1.deleted, []);

    // first differs from the stored row: updated with the first one's values
    const r2 = classifyResources([dev('a', 5), dev('a', 1)], [row('a', 1)], opts(true));
    assert.equal(r2.unchanged, 0);
    assert.deepEqual(r2.updated, [{ device: dev('a', 5), stored: row('a', 1) }]);

    // not stored: added once, with the first one's values
    const r3 = classifyResources([dev('n', 7), dev('n', 8), dev('n', 9)], [], opts(true));
    assert.deepEqual(r3.added, [dev('n', 7)]);
  });

  test('empty device listing and empty store', () => {
    const none = classifyResources<Dev, Row>([], [], opts(true));
    assert.deepEqual(none, { added: [], updated: [], unchanged: 0, deleted: [] });

    const emptyDevice = classifyResources<Dev, Row>([], [row('a', 1), row('b', 2)], opts(true));
    assert.deepEqual(emptyDevice.deleted, [row('a', 1), row('b', 2)]);
    assert.equal(emptyDevice.unchanged, 0);

    const emptyDeviceNoDelete = classifyResources<Dev, Row>([], [row('a', 1)], opts(false));
    assert.deepEqual(emptyDeviceNoDelete, { added: [], updated: [], unchanged: 0, deleted: [] });

    const emptyStore = classifyResources<Dev, Row>([dev('a', 1), dev('b', 2)], [], opts(true));
    assert.deepEqual(emptyStore.added, [dev('a', 1), dev('b', 2)]);
    assert.deepEqual(emptyStore.deleted, []);
  });

  test('accepts any iterable (generators), not only arrays', () => {
    function* devices() {
      yield dev('a', 1);
      yield dev('b', 2);
    }
    function* rows() {
      yield row('b', 3);
    }
    const r = classifyResources(devices(), rows(), opts(true));
    assert.deepEqual(r.added, [dev('a', 1)]);
    assert.equal(r.updated.length, 1);
  });

  test('added keeps the device order', () => {
    const device = ['q', 'b', 'z', 'a'].map((id) => dev(id, 0));
    const r = classifyResources(device, [], opts(false));
    assert.deepEqual(
      r.added.map((d) => d.id),
      ['q', 'b', 'z', 'a'],
    );
  });

  test('property: random device and stored sets are partitioned exactly', () => {
    // A tiny LCG (Numerical Recipes constants), seeded: the same cases on every run.
    let state = 0x2545f491;
    const rand = (n: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };

    for (let round = 0; round < 500; round++) {
      const keySpace = 1 + rand(40);
      const device: Dev[] = [];
      const deviceCount = rand(60);
      for (let i = 0; i < deviceCount; i++) device.push(dev(`k${rand(keySpace)}`, rand(3)));
      const storedKeys = new Set<string>();
      const storedCount = rand(60);
      for (let i = 0; i < storedCount; i++) storedKeys.add(`k${rand(keySpace)}`);
      const stored = [...storedKeys].map((k) => row(k, rand(3)));
      const deleteMissing = rand(2) === 1;

      const r = classifyResources(device, stored, opts(deleteMissing));
      const ctx = `round ${round}`;

      const distinctDevice = new Set(device.map((d) => d.id));
      const firstByKey = new Map<string, Dev>();
      for (const d of device) if (!firstByKey.has(d.id)) firstByKey.set(d.id, d);
      const storedByKey = new Map(stored.map((s) => [s.nid, s]));

      // every distinct device key lands exactly once in added ∪ updated ∪ unchanged
      const covered = [...r.added.map((d) => d.id), ...r.updated.map((u) => u.device.id)];
      assert.equal(new Set(covered).size, covered.length, `${ctx}: a key classified twice`);
      assert.equal(covered.length + r.unchanged, distinctDevice.size, ctx);
      for (const k of covered) assert.ok(distinctDevice.has(k), ctx);

      // added: exactly the device keys not stored, with the first device entry
      const expectedAdded = [...distinctDevice].filter((k) => !storedByKey.has(k));
      assert.deepEqual(r.added.map((d) => d.id).sort(), expectedAdded.sort(), ctx);
      for (const d of r.added) assert.equal(d, firstByKey.get(d.id), ctx);

      // updated: stored keys whose first device entry differs
      const expectedUpdated = [...distinctDevice].filter(
        (k) => storedByKey.has(k) && storedByKey.get(k)!.size !== firstByKey.get(k)!.size,
      );
      assert.deepEqual(r.updated.map((u) => u.device.id).sort(), expectedUpdated.sort(), ctx);
      for (const u of r.updated) {
        assert.equal(u.device, firstByKey.get(u.device.id), ctx);
        assert.equal(u.stored, storedByKey.get(u.device.id), ctx);
      }

      // deleted = stored keys not on the device (only when deleteMissing)
      const expectedDeleted = deleteMissing ? stored.filter((s) => !distinctDevice.has(s.nid)) : [];
      assert.deepEqual(
        r.deleted.map((s) => s.nid).sort(),
        expectedDeleted.map((s) => s.nid).sort(),
        ctx,
      );
    }
  });
});
