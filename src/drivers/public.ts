// `delfin-ts/driver`: what a driver package needs, and nothing of delfin's internals. The
// interface and its types, the error a driver throws, the timeout wrapper, the conformance kit.
export type * from './driver.js';
export { DriverError, DriverInputError, UnreachableError } from './driver-error.js';
export { withTimeouts } from './timeouts.js';
export { descriptorProblem } from './descriptor-shape.js';
export * from './conformance/index.js';
