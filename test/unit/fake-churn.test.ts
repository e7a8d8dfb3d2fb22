import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceVolume } from '../../src/drivers/driver.js';
import { FakeDriver } from '../../src/drivers/fake/fake-driver.js';
import { parseFakeOptions, type FakeOptions } from '../../src/drivers/fake/fake-options.js';
import { addedPerRevision, countVolumes, diffRevisions } from '../../src/drivers/fake/fake-churn.js';

function options(extra: Record<string, unknown>): FakeOptions {
  return parseFakeOptions({ rest: { host: 'array-7', port: 443, username: 'u', password: 'p' }, extraAttributes: extra });
}

/** What listVolumes yields, keyed by native id (bigint printed, for comparison). */
async function listing(extra: Record<string, unknown>): Promise<Map<string, string>> {
  const driver = new FakeDriver({ rest: { host: 'array-7', port: 443, username: 'u', password: 'p' }, extraAttributes: extra });
  const out = new Map<string, string>();
  let total: number | undefined;
  for await (const page of driver.listVolumes()) {
    total = page.total;
    for (const v of page.items) {
      assert.ok(!out.has(v.nativeVolumeId), `duplicate ${v.nativeVolumeId}`);
      out.set(v.nativeVolumeId, JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x)));
    }
  }
  assert.equal(total, out.size, 'page total equals what is listed');
  return out;
}

/** The diff a sync would see, computed from two listings without the helper. */
function observedDiff(before: Map<string, string>, after: Map<string, string>) {
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id));
  return { added, changed, removed };
}

const BASE = { volumes: 10_000, pools: 12, seed: 'churn', pageSize: 777 };

describe('fake driver: churn', () => {
  test('revision 0 is the base device', async () => {
    assert.equal(countVolumes(options(BASE)), 10_000);
    assert.deepEqual(diffRevisions(options(BASE), 0, 0), { added: [], changed: [], removed: [] });
  });

  test('volume counts of revisions 0..4 equal the helper exactly', async () => {
    for (let r = 0; r <= 4; r++) {
      const listed = await listing({ ...BASE, revision: r });
      assert.equal(listed.size, countVolumes(options({ ...BASE, revision: r })), `revision ${r}`);
      assert.equal(countVolumes(options(BASE), r), listed.size, 'explicit revision argument');
    }
  });

  test('each revision removes and changes about 0.5 % and adds ceil(0.5 %)', () => {
    const diff = diffRevisions(options(BASE), 0, 1);
    assert.equal(diff.added.length, addedPerRevision(10_000));
    assert.equal(diff.added.length, 50);
    assert.deepEqual(diff.added.slice(0, 2), ['vol-r1-000001', 'vol-r1-000002']);
    assert.ok(diff.removed.length >= 20 && diff.removed.length <= 90, `removed ${diff.removed.length}`);
    assert.ok(diff.changed.length >= 20 && diff.changed.length <= 90, `changed ${diff.changed.length}`);
    assert.equal(addedPerRevision(1), 1);
    assert.equal(addedPerRevision(201), 2);
    assert.equal(addedPerRevision(0), 0);
  });

  for (const [from, to] of [[0, 1], [1, 2], [0, 3], [1, 4], [3, 1]] as const) {
    test(`diffRevisions(${from} → ${to}) is exactly what the listings differ by`, async () => {
      const before = await listing({ ...BASE, revision: from });
      const after = await listing({ ...BASE, revision: to });
      const predicted = diffRevisions(options(BASE), from, to);
      const observed = observedDiff(before, after);
      assert.deepEqual(new Set(predicted.added), new Set(observed.added));
      assert.deepEqual(new Set(predicted.removed), new Set(observed.removed));
      assert.deepEqual(new Set(predicted.changed), new Set(observed.changed));
      assert.equal(after.size, before.size + predicted.added.length - predicted.removed.length);
    });
  }

  test('changes accumulate: what revision 1 removed stays removed', () => {
    const o = options(BASE);
    const first = diffRevisions(o, 0, 1);
    const second = diffRevisions(o, 0, 2);
    for (const id of first.removed) assert.ok(second.removed.includes(id), id);
    assert.ok(second.removed.length > first.removed.length);
    assert.equal(second.added.length, 100);
    assert.ok(second.added.includes('vol-r1-000050') && second.added.includes('vol-r2-000001'));
  });

  test('changed volumes differ only in used/free capacity and status', async () => {
    const before = await listing({ ...BASE, revision: 0 });
    const after = await listing({ ...BASE, revision: 1 });
    const { changed } = diffRevisions(options(BASE), 0, 1);
    for (const id of changed) {
      const a = JSON.parse(before.get(id)!) as Record<keyof DeviceVolume, unknown>;
      const b = JSON.parse(after.get(id)!) as Record<keyof DeviceVolume, unknown>;
      const differing = (Object.keys(a) as (keyof DeviceVolume)[]).filter((k) => a[k] !== b[k]);
      assert.ok(differing.includes('status'), id);
      for (const k of differing) assert.ok(['status', 'usedCapacity', 'freeCapacity'].includes(k), `${id}: ${k}`);
      assert.equal(BigInt(b.totalCapacity as string), BigInt(b.usedCapacity as string) + BigInt(b.freeCapacity as string));
    }
  });

  test('added ids never collide with base ids', async () => {
    const listed = await listing({ ...BASE, volumes: 300, revision: 5 });
    const added = [...listed.keys()].filter((id) => id.startsWith('vol-r'));
    assert.equal(added.length, 5 * addedPerRevision(300));
    for (const id of added) assert.match(id, /^vol-r[1-5]-\d{6}$/);
  });

  test('churn is deterministic per seed and differs between seeds', () => {
    const a = diffRevisions(options(BASE), 0, 2);
    assert.deepEqual(diffRevisions(options(BASE), 0, 2), a);
    const b = diffRevisions(options({ ...BASE, seed: 'other' }), 0, 2);
    assert.notDeepEqual(b.removed, a.removed);
  });

  test('counting a 100 000-volume array at revision 5 is quick', () => {
    const started = performance.now();
    const n = countVolumes(options({ volumes: 100_000, revision: 5 }));
    assert.ok(n > 99_000 && n < 101_000);
    // Per-volume cost is O(revision): a quadratic slip would take minutes, not this.
    assert.ok(performance.now() - started < 10_000, `took ${performance.now() - started} ms`);
  });
});
