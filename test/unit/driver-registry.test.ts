import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DriverDescriptor } from '../../src/drivers/driver.js';
import { DriverRegistry, createDefaultRegistry, fakeDriverDescriptor } from '../../src/drivers/index.js';

function descriptor(vendor: string, model: string): DriverDescriptor {
  return {
    vendor,
    model,
    create: () => {
      throw new Error('not used');
    },
  };
}

describe('DriverRegistry', () => {
  test('find returns the registered descriptor, or undefined', () => {
    const registry = new DriverRegistry();
    const d = descriptor('acme', 'x1');
    registry.register(d);
    assert.equal(registry.find('acme', 'x1'), d);
    assert.equal(registry.find('acme', 'x2'), undefined);
    assert.equal(registry.find('other', 'x1'), undefined);
  });

  test('keys are case-sensitive', () => {
    const registry = new DriverRegistry();
    registry.register(descriptor('acme', 'x1'));
    assert.equal(registry.find('ACME', 'x1'), undefined);
    assert.equal(registry.find('acme', 'X1'), undefined);
    registry.register(descriptor('ACME', 'x1'));
    assert.equal(registry.list().length, 2);
  });

  test('list is sorted by vendor, then model, and holds only vendor and model', () => {
    const registry = new DriverRegistry();
    for (const [v, m] of [['zeta', 'a'], ['acme', 'z9'], ['acme', 'a1'], ['mid', 'm']]) registry.register(descriptor(v!, m!));
    assert.deepEqual(registry.list(), [
      { vendor: 'acme', model: 'a1' },
      { vendor: 'acme', model: 'z9' },
      { vendor: 'mid', model: 'm' },
      { vendor: 'zeta', model: 'a' },
    ]);
  });

  test('a duplicate registration throws and keeps the first', () => {
    const registry = new DriverRegistry();
    const first = descriptor('acme', 'x1');
    registry.register(first);
    assert.throws(() => registry.register(descriptor('acme', 'x1')), /already registered/);
    assert.equal(registry.find('acme', 'x1'), first);
  });

  test('vendor/model pairs that join to the same text stay distinct', () => {
    const registry = new DriverRegistry();
    registry.register(descriptor('a/b', 'c'));
    registry.register(descriptor('a', 'b/c'));
    assert.equal(registry.list().length, 2);
  });

  test('the default registry has the fake driver and the Swordfish driver', async () => {
    const registry = createDefaultRegistry();
    assert.deepEqual(registry.list(), [
      { vendor: 'fake_storage', model: 'fake_driver' },
      { vendor: 'snia', model: 'swordfish' },
    ]);
    assert.equal(registry.find('fake_storage', 'fake_driver'), fakeDriverDescriptor);
    const driver = registry.find('fake_storage', 'fake_driver')!.create({
      rest: { host: 'h', port: 1, username: 'u', password: 'p' },
    });
    assert.equal((await driver.getStorage()).vendor, 'fake_storage');
    await driver.close();
  });

  test('each default registry is independent', () => {
    const a = createDefaultRegistry();
    a.register(descriptor('acme', 'x1'));
    assert.equal(createDefaultRegistry().find('acme', 'x1'), undefined);
  });
});
