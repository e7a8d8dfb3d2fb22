// The simulator's disks, controllers and ports: deterministic, paged, and churned by revision
// so that a resync has something to add, update and delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from '../../src/drivers/driver.js';
import { FakeDriver } from '../../src/drivers/fake/fake-driver.js';

const fake = (extra: Record<string, unknown>) =>
  new FakeDriver({ rest: { host: '10.0.0.9', port: 8443, username: 'admin', password: 'x' }, extraAttributes: extra });

async function pages<T>(listing: AsyncIterable<Page<T>>): Promise<Page<T>[]> {
  const all: Page<T>[] = [];
  for await (const p of listing) all.push(p);
  return all;
}

const dump = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
const SIZE = { disks: 40, controllers: 2, portsPerController: 4, seed: 'hw' };

test('disks, controllers and ports are as many as asked, the same for the same options, paged', async () => {
  const a = fake({ ...SIZE, pageSize: 16 });
  const b = fake({ ...SIZE, pageSize: 16 });
  const disks = await pages(a.listDisks());
  assert.deepEqual(disks.map((p) => p.items.length), [16, 16, 8]);
  assert.ok(disks.every((p) => p.total === 40));
  assert.equal(dump(disks), dump(await pages(b.listDisks())));
  const controllers = (await pages(a.listControllers())).flatMap((p) => p.items);
  assert.deepEqual(controllers.map((c) => c.nativeControllerId), ['ctrl-01', 'ctrl-02']);
  const ports = (await pages(a.listPorts())).flatMap((p) => p.items);
  assert.equal(ports.length, 8);
  assert.ok(ports.every((p) => controllers.some((c) => c.nativeControllerId === p.nativeControllerId)));
  assert.equal(new Set(ports.map((p) => p.nativePortId)).size, 8);
});

test('a device without hardware lists one empty page of each', async () => {
  const d = fake({});
  assert.deepEqual(await pages(d.listDisks()), [{ items: [], total: 0 }]);
  assert.deepEqual(await pages(d.listPorts()), [{ items: [], total: 0 }]);
});

test('a revision removes, changes and adds disks and flips some ports, deterministically', async () => {
  const before = (await pages(fake({ ...SIZE, disks: 200 }).listDisks())).flatMap((p) => p.items);
  const after = (await pages(fake({ ...SIZE, disks: 200, revision: 1 }).listDisks())).flatMap((p) => p.items);
  const was = new Map(before.map((d) => [d.nativeDiskId, dump(d)]));
  const is = new Map(after.map((d) => [d.nativeDiskId, dump(d)]));
  const added = [...is.keys()].filter((id) => !was.has(id));
  const removed = [...was.keys()].filter((id) => !is.has(id));
  const changed = [...is.keys()].filter((id) => was.has(id) && was.get(id) !== is.get(id));
  assert.equal(added.length, 10); // ceil(5 % of 200)
  assert.ok(removed.length > 0 && removed.length < 30, `removed ${removed.length}`);
  assert.ok(changed.length > 0 && changed.length < 50, `changed ${changed.length}`);
  const portsBefore = (await pages(fake({ ...SIZE, portsPerController: 30 }).listPorts())).flatMap((p) => p.items);
  const portsAfter = (await pages(fake({ ...SIZE, portsPerController: 30, revision: 1 }).listPorts())).flatMap((p) => p.items);
  const flipped = portsAfter.filter((p, i) => p.connectionStatus !== portsBefore[i]!.connectionStatus);
  assert.ok(flipped.length > 0 && flipped.length < 20, `flipped ${flipped.length}`);
  assert.deepEqual(portsAfter.map((p) => p.nativePortId), portsBefore.map((p) => p.nativePortId));
});

test('the hardware phases fail and hang on request, like the others', async () => {
  await assert.rejects(pages(fake({ ...SIZE, failAt: 'disks' }).listDisks()), /listing disks \(injected failure\)/);
  await assert.rejects(pages(fake({ ...SIZE, failAt: 'ports' }).listPorts()), /listing ports/);
});
