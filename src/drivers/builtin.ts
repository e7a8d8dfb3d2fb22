import type { DriverDescriptor } from './driver.js';
import { fakeDriverDescriptor } from './fake/fake-driver.js';
import { swordfishDriverDescriptor } from './swordfish/swordfish-driver.js';

/** The drivers shipped with delfin-ts; driver packages add to them (./plugins.ts). */
export const BUILTIN_DRIVERS: readonly DriverDescriptor[] = [fakeDriverDescriptor, swordfishDriverDescriptor];
