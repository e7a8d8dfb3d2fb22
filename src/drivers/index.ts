import { DriverRegistry } from './registry.js';
import { BUILTIN_DRIVERS } from './builtin.js';

export type * from './driver.js';
export { DriverError, DriverInputError, UnreachableError } from './driver-error.js';
export { DriverRegistry, type DriverKey } from './registry.js';
export { withTimeouts } from './timeouts.js';
export { fakeDriverDescriptor } from './fake/fake-driver.js';
export { swordfishDriverDescriptor } from './swordfish/swordfish-driver.js';

/** The drivers shipped with delfin-ts; every role uses loadDriverRegistry (./plugins.ts), which adds packages. */
export function createDefaultRegistry(): DriverRegistry {
  const registry = new DriverRegistry();
  for (const d of BUILTIN_DRIVERS) registry.register(d);
  return registry;
}
export { BUILTIN_DRIVERS } from './builtin.js';
export { loadDriverRegistry } from './plugins.js';
