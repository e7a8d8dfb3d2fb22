// The driver conformance kit: `delfin driver check` runs it against a live array; a driver
// package's own tests may import it from `delfin-ts/driver` (checkDriver, or the pure checks).
export * from './checks.js';
export { checkDriver, runConformance, type ConformanceOptions } from './runner.js';
export { formatReport, type CheckResult, type ConformanceReport } from './report.js';
export type { InventoryItem } from './inventory.js';
