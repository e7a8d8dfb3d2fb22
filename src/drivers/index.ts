import { DriverRegistry } from './registry.js';
import { fakeDriverDescriptor } from './fake/fake-driver.js';
import { swordfishDriverDescriptor } from './swordfish/swordfish-driver.js';

export type * from './driver.js';
export { DriverError, DriverInputError } from './driver-error.js';
export { DriverRegistry, type DriverKey } from './registry.js';
export { withTimeouts } from './timeouts.js';
export { fakeDriverDescriptor } from './fake/fake-driver.js';
export { swordfishDriverDescriptor } from './swordfish/swordfish-driver.js';

/** The registry every role uses: the drivers shipped with delfin-ts. */
export function createDefaultRegistry(): DriverRegistry {
  const registry = new DriverRegistry();
  registry.register(fakeDriverDescriptor);
  registry.register(swordfishDriverDescriptor);
  return registry;
}
