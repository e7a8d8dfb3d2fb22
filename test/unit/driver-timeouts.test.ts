import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AccessInfo, DeviceVolume, Page, StorageDriver } from '../../src/drivers/driver.js';
import { DriverError, withTimeouts } from '../../src/drivers/index.js';
import { FakeDriver } from '../../src/drivers/fake/fake-driver.js';

const WINDOW = { start: new Date('2024-03-01T10:00:00Z'), end: new Date('2024-03-01T10:05:00Z') };

function fake(extra: Record<string, unknown> = {}): FakeDriver {
  const access: AccessInfo = { rest: { host: 'h', port: 8080, username: 'u', password: 'p' }, extraAttributes: extra };
  return new FakeDriver(access);
}

/** Timers alive in this process: a cleared timer disappears from the list. */
function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectTimeout(promise: Promise<unknown>, call: string, phase: string, ms: number): Promise<void> {
  const started = performance.now();
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DriverError, String(err));
    assert.equal(err.message, `${call} timed out after ${ms} ms`);
    assert.equal(err.phase, phase);
    return true;
  });
  const elapsed = performance.now() - started;
  // Not long before the timeout: libuv times a timer from its loop's cached clock, which a busy
  // machine leaves stale, so it may fire early by the time the loop was blocked (seen: 38 ms of
  // 50). The upper bound only catches a timeout that never fires (generous: shared machines stall).
  assert.ok(elapsed >= ms / 2 && elapsed < ms + 10_000, `${call} took ${elapsed} ms`);
}

/** A stub whose listing pages are given by the test; records whether its generator was closed. */
function pagedStub(pages: Array<() => Promise<DeviceVolume[]>>) {
  const state = { closed: false, served: 0 };
  const driver = {
    async *listVolumes(): AsyncGenerator<Page<DeviceVolume>> {
      try {
        for (const page of pages) {
          yield { items: await page(), total: pages.length };
          state.served++;
        }
      } finally {
        state.closed = true;
      }
    },
  } as unknown as StorageDriver;
  return { driver, state };
}

describe('withTimeouts', () => {
  test('results and the driver\'s own errors pass through unchanged', async () => {
    const timed = withTimeouts(fake({ volumes: 3, pools: 2 }), 60_000);
    assert.equal((await timed.listPools()).length, 2);
    assert.equal((await timed.getStorage()).vendor, 'fake_storage');
    const pages: Page<DeviceVolume>[] = [];
    for await (const p of timed.listVolumes()) pages.push(p);
    assert.equal(pages[0]!.items.length, 3);
    assert.equal((await timed.collectPerfMetrics('STORAGE', ['iops'], WINDOW)).length, 1);
    assert.equal(Object.keys((await timed.capabilities()).metrics).length, 6);
    await timed.close();
    assert.equal(liveTimers(), 0, 'every 60 s timer was cleared');

    const failing = withTimeouts(fake({ failAt: 'pools' }), 60_000);
    await assert.rejects(failing.listPools(), /injected failure/);
    assert.equal(liveTimers(), 0);
  });

  test('hangAt storage: getStorage times out', async () => {
    await expectTimeout(withTimeouts(fake({ hangAt: 'storage' }), 50).getStorage(), 'getStorage', 'storage', 50);
  });

  test('hangAt pools: listPools times out', async () => {
    await expectTimeout(withTimeouts(fake({ hangAt: 'pools' }), 40).listPools(), 'listPools', 'pools', 40);
  });

  test('hangAt metrics: collectPerfMetrics times out', async () => {
    const timed = withTimeouts(fake({ hangAt: 'metrics' }), 40);
    await expectTimeout(timed.collectPerfMetrics('VOLUME', ['iops'], WINDOW), 'collectPerfMetrics', 'metrics', 40);
  });

  test('hangAt connect: every call times out', async () => {
    const timed = withTimeouts(fake({ hangAt: 'connect' }), 30);
    await expectTimeout(timed.capabilities(), 'capabilities', 'capabilities', 30);
    await expectTimeout(timed.getStorage(), 'getStorage', 'storage', 30);
  });

  test('slow close times out', async () => {
    await expectTimeout(withTimeouts(fake({ latencyMs: 100 }), 30).close(), 'close', 'close', 30);
    await sleep(100); // let the fake's own latency timer end, so later timer counts are exact
  });

  test('hangAt volumes: the first page times out, then the listing stays failed', async () => {
    const timed = withTimeouts(fake({ hangAt: 'volumes' }), 40);
    const iterator = timed.listVolumes()[Symbol.asyncIterator]();
    await expectTimeout(iterator.next(), 'listVolumes', 'volumes', 40);
    await assert.rejects(iterator.next(), /already timed out/);
    assert.deepEqual(await iterator.return!(undefined), { done: true, value: undefined });
  });

  test('each page has its own deadline: slow overall, fast pages pass', async () => {
    // Wide margins (a page uses a fifth of its deadline) so a loaded machine's late timers pass.
    const pages = Array.from({ length: 5 }, () => () => new Promise<DeviceVolume[]>((r) => setTimeout(r, 300, [])));
    const { driver } = pagedStub(pages);
    let count = 0;
    for await (const _ of withTimeouts(driver, 1500).listVolumes()) count++;
    assert.equal(count, 5, '5 × 300 ms pages, 1.5 s in all, under a 1.5 s per-page deadline');
  });

  test('a later page that hangs times out', async () => {
    const hang = () => new Promise<DeviceVolume[]>(() => undefined);
    const { driver, state } = pagedStub([async () => [], async () => [], hang]);
    const seen: number[] = [];
    const started = performance.now();
    await assert.rejects(
      (async () => {
        for await (const p of withTimeouts(driver, 50).listVolumes()) seen.push(p.items.length);
      })(),
      { message: 'listVolumes timed out after 50 ms' },
    );
    assert.ok(performance.now() - started < 10_000, 'the hung page was cut off');
    assert.equal(seen.length, 2);
    assert.equal(state.served, 2);
  });

  test('stopping early forwards return(): the underlying generator is closed', async () => {
    const { driver, state } = pagedStub(Array.from({ length: 10 }, () => async () => []));
    for await (const _ of withTimeouts(driver, 1000).listVolumes()) break;
    assert.equal(state.closed, true);
    assert.equal(state.served, 0);
    assert.equal(liveTimers(), 0);
  });

  test('a consumer error inside the loop also closes the generator', async () => {
    const { driver, state } = pagedStub(Array.from({ length: 10 }, () => async () => []));
    await assert.rejects(
      (async () => {
        for await (const _ of withTimeouts(driver, 1000).listVolumes()) throw new Error('consumer failed');
      })(),
      /consumer failed/,
    );
    assert.equal(state.closed, true);
  });

  test('a driver that throws synchronously still gives a rejected promise', async () => {
    const broken = {
      getStorage() {
        throw new DriverError('boom', 'storage');
      },
    } as unknown as StorageDriver;
    await assert.rejects(withTimeouts(broken, 1000).getStorage(), { message: 'boom' });
    assert.equal(liveTimers(), 0);
  });

  test('an invalid timeout is refused', () => {
    for (const ms of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 31]) {
      assert.throws(() => withTimeouts(fake(), ms), RangeError, String(ms));
    }
  });

  test('no handle is leaked: a process that times out a hung call exits on its own', () => {
    const index = fileURLToPath(new URL('../../src/drivers/index.js', import.meta.url));
    const script = `
      const { withTimeouts, createDefaultRegistry } = await import(${JSON.stringify(index)});
      const d = createDefaultRegistry().find('fake_storage', 'fake_driver').create({
        rest: { host: 'h', port: 1, username: 'u', password: 'p' }, extraAttributes: { hangAt: 'storage' } });
      const timed = withTimeouts(d, 50);
      await timed.listPools();
      for await (const p of timed.listVolumes()) break;
      await timed.getStorage().catch((e) => console.log(e.message));
      const iterator = withTimeouts(createDefaultRegistry().find('fake_storage', 'fake_driver').create({
        rest: { host: 'h', port: 1, username: 'u', password: 'p' }, extraAttributes: { hangAt: 'volumes' } }), 50)
        .listVolumes()[Symbol.asyncIterator]();
      await iterator.next().catch((e) => console.log(e.message));
      await iterator.return();
    `;
    // A leaked timer or a hung promise holding a handle would keep the child alive until the kill.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.error, undefined, 'the child exited by itself, before the 30 s kill');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, 'getStorage timed out after 50 ms\nlistVolumes timed out after 50 ms\n');
  });
});
