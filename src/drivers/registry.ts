import type { DriverDescriptor } from './driver.js';

export interface DriverKey {
  vendor: string;
  model: string;
}

// A JSON pair as the key, so no vendor/model spelling can collide through a separator.
function keyOf(vendor: string, model: string): string {
  return JSON.stringify([vendor, model]);
}

// Code-unit order: the same on every machine, whatever the locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The drivers this process knows, chosen by vendor and model (case-sensitive, as Delfin). */
export class DriverRegistry {
  private readonly drivers = new Map<string, DriverDescriptor>();

  /** Adds a driver; a second driver for the same vendor/model is a programming error. */
  register(descriptor: DriverDescriptor): void {
    const key = keyOf(descriptor.vendor, descriptor.model);
    if (this.drivers.has(key)) {
      throw new Error(
        `a driver for vendor "${descriptor.vendor}" and model "${descriptor.model}" is already registered`,
      );
    }
    this.drivers.set(key, descriptor);
  }

  find(vendor: string, model: string): DriverDescriptor | undefined {
    return this.drivers.get(keyOf(vendor, model));
  }

  /** Every registered vendor/model, sorted by vendor then model. */
  list(): DriverKey[] {
    return [...this.drivers.values()]
      .map(({ vendor, model }) => ({ vendor, model }))
      .sort((a, b) => compareText(a.vendor, b.vendor) || compareText(a.model, b.model));
  }
}
