import type {
  CounterState,
  DeviceAlert,
  DeviceController,
  DeviceDisk,
  DevicePort,
  DeviceStorage,
  DevicePool,
  DeviceVolume,
  DriverCapabilities,
  MetricSeries,
  MetricWindow,
  Page,
  ResourceType,
  StorageDriver,
} from './driver.js';
import { DriverError } from './driver-error.js';

// The largest delay setTimeout honours; beyond it Node fires after 1 ms instead.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Races `start()` against a timer. The timer is cleared whichever settles first, so a
 * finished call leaves no handle that keeps the process alive. A call that loses the race
 * keeps running; its later rejection is absorbed by the race, so it never goes unhandled.
 */
function withDeadline<T>(
  call: string,
  phase: string,
  ms: number,
  start: () => Promise<T>,
  onTimeout?: () => void,
): Promise<T> {
  let work: Promise<T>;
  try {
    work = start();
  } catch (err) {
    return Promise.reject(err);
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new DriverError(`${call} timed out after ${ms} ms`, phase));
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Wraps a paged listing (volumes, disks...) so each page (`next()`) has its own deadline. */
function timedPages<T>(
  source: () => AsyncIterable<Page<T>>,
  ms: number,
  call = 'listVolumes',
  phase = 'volumes',
): AsyncIterable<Page<T>> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Page<T>> {
      const inner = source()[Symbol.asyncIterator]();
      // Once a page timed out the inner generator is stuck in that page: an async generator
      // queues further next()/return() behind it, so they would hang too.
      let stuck = false;
      return {
        next() {
          if (stuck) {
            // Not `done`: a consumer must never mistake a broken listing for a complete one.
            return Promise.reject(new DriverError(`${call} already timed out`, phase));
          }
          return withDeadline(call, phase, ms, () => inner.next(), () => (stuck = true));
        },
        return(value?: unknown) {
          const done = { done: true as const, value: value as Page<T> };
          if (!inner.return) return Promise.resolve(done);
          if (stuck) {
            // Ask anyway, so the generator closes if its page ever finishes; don't wait for it.
            inner.return(value).catch(() => undefined);
            return Promise.resolve(done);
          }
          return withDeadline(call, phase, ms, () => inner.return!(value));
        },
      };
    },
  };
}

class TimedDriver implements StorageDriver {
  // Present only when the wrapped driver has them, so callers can still tell.
  listDisks?: () => AsyncIterable<Page<DeviceDisk>>;
  listControllers?: () => AsyncIterable<Page<DeviceController>>;
  listPorts?: () => AsyncIterable<Page<DevicePort>>;
  listAlerts?: () => Promise<DeviceAlert[]>;
  clearAlert?: (sequenceNumber: string) => Promise<void>;

  constructor(
    private readonly driver: StorageDriver,
    private readonly ms: number,
  ) {
    if (driver.listDisks) this.listDisks = () => timedPages(() => driver.listDisks!(), ms, 'listDisks', 'disks');
    if (driver.listControllers) {
      this.listControllers = () => timedPages(() => driver.listControllers!(), ms, 'listControllers', 'controllers');
    }
    if (driver.listPorts) this.listPorts = () => timedPages(() => driver.listPorts!(), ms, 'listPorts', 'ports');
    if (driver.listAlerts) this.listAlerts = () => withDeadline('listAlerts', 'alerts', ms, () => driver.listAlerts!());
    if (driver.clearAlert) this.clearAlert = (seq) => withDeadline('clearAlert', 'alerts', ms, () => driver.clearAlert!(seq));
  }

  getStorage(): Promise<DeviceStorage> {
    return withDeadline('getStorage', 'storage', this.ms, () => this.driver.getStorage());
  }

  listPools(): Promise<DevicePool[]> {
    return withDeadline('listPools', 'pools', this.ms, () => this.driver.listPools());
  }

  listVolumes(): AsyncIterable<Page<DeviceVolume>> {
    return timedPages(() => this.driver.listVolumes(), this.ms);
  }

  /**
   * The driver fills a copy of `counters`; the caller's object gets its results only when the
   * call finished in time, so a call that lost the race cannot change it later.
   */
  async collectPerfMetrics(resourceType: ResourceType, metrics: string[], window: MetricWindow, counters?: CounterState): Promise<MetricSeries[]> {
    const inner: CounterState | undefined = counters && { previous: counters.previous };
    const series = await withDeadline('collectPerfMetrics', 'metrics', this.ms, () =>
      this.driver.collectPerfMetrics(resourceType, metrics, window, inner),
    );
    if (counters && inner) {
      counters.current = inner.current;
      counters.resets = inner.resets;
    }
    return series;
  }

  capabilities(): Promise<DriverCapabilities> {
    return withDeadline('capabilities', 'capabilities', this.ms, () => this.driver.capabilities());
  }

  close(): Promise<void> {
    return withDeadline('close', 'close', this.ms, () => this.driver.close());
  }
}

/**
 * Returns a driver whose every call (and every page of listVolumes) rejects with
 * DriverError("<call> timed out after <N> ms", phase) when it takes longer than `timeoutMs`.
 */
export function withTimeouts(driver: StorageDriver, timeoutMs: number): StorageDriver {
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new RangeError(`timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}, got ${timeoutMs}`);
  }
  return new TimedDriver(driver, timeoutMs);
}
