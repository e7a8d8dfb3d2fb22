// Times every call of a driver (each page of a listing as one call) and tells `record` its
// duration and whether it failed, for delfin_driver_call_duration_seconds and
// delfin_driver_call_errors_total. Wraps the driver that already has its deadlines, so a call
// that timed out counts as a failure at its deadline.
import type { StorageDriver } from './driver.js';

export type CallRecorder = (call: string, seconds: number, failed: boolean) => void;

const LISTINGS = new Set(['listVolumes', 'listDisks', 'listControllers', 'listPorts']);

export function withCallMetrics(driver: StorageDriver, record: CallRecorder): StorageDriver {
  return new Proxy(driver, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      if (LISTINGS.has(prop)) return (...args: unknown[]) => timedListing(prop, value.apply(target, args) as AsyncIterable<unknown>, record);
      return (...args: unknown[]) => timed(prop, () => value.apply(target, args), record);
    },
  });
}

function timed<T>(call: string, start: () => T, record: CallRecorder): T {
  const began = performance.now();
  const done = (failed: boolean) => record(call, (performance.now() - began) / 1000, failed);
  let result: T;
  try {
    result = start();
  } catch (err) {
    done(true);
    throw err;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => (done(false), v),
      (err) => {
        done(true);
        throw err;
      },
    ) as T;
  }
  done(false);
  return result;
}

function timedListing<T>(call: string, pages: AsyncIterable<T>, record: CallRecorder): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const inner = pages[Symbol.asyncIterator]();
      return {
        next: () => timed(call, () => inner.next(), record),
        return: (value?: unknown) => (inner.return ? inner.return(value) : Promise.resolve({ done: true as const, value: value as T })),
      };
    },
  };
}
