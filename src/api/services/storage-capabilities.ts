// Storage.capabilities: asked of the storage's driver, for that array (a driver may collect
// different metrics on different models). Opens the driver, asks, closes; a driver that does
// not answer is a DRIVER_ERROR, as when registering.
import type { DriverResource, ResourceType, StorageDriver } from '../../drivers/driver.js';
import { summarize } from '../../drivers/descriptor-shape.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import { withTimeouts } from '../../drivers/timeouts.js';
import type { StoredEndpoint } from '../../db/entities/index.js';
import type { SecretBox } from '../../db/secrets.js';
import type { Sql } from '../../db/sql.js';
import { AppError, notFound } from '../../errors.js';
import { decryptAccess } from '../../tasks/runtime/open-device.js';
import { driverFailure } from './driver-failure.js';
import { countedDriver } from '../../exporters/driver-call-counts.js';
import type { CounterBuffer } from '../../db/counter-buffer.js';

export interface CapabilitiesDeps {
  sql: Sql;
  box: SecretBox;
  registry: DriverRegistry;
  driverTimeoutMs: number;
  /** Where driver calls are counted (delfin_driver_call_*). */
  counters?: CounterBuffer;
}

export interface Capabilities {
  resources: DriverResource[];
  /** `units`: each metric's unit, in the order of `metrics`. */
  metrics: Array<{ resourceType: ResourceType; metrics: string[]; units: string[] }>;
  alerts: boolean;
  listAlerts: boolean;
  clearAlert: boolean;
}

/** Optional driver methods, detected on the driver itself (the timeout wrapper has only the base calls). */
type MaybeMore = StorageDriver & Partial<Record<'parseAlert' | 'listAlerts' | 'clearAlert', unknown>>;

const INVENTORY: Array<[keyof MaybeMore, DriverResource]> = [['listDisks', 'DISK'], ['listControllers', 'CONTROLLER'], ['listPorts', 'PORT']];

export async function storageCapabilities(deps: CapabilitiesDeps, storageId: string): Promise<Capabilities> {
  const rows = await deps.sql.query(
    `select s.vendor, s.model, a.rest, a.ssh, a.extra_attributes
     from storage s join access_info a on a.storage_id = s.id where s.id = $1`,
    [storageId],
  );
  const r = rows[0];
  if (!r) throw notFound('storage', storageId);
  const descriptor = deps.registry.find(r.vendor as string, r.model as string);
  if (!descriptor) throw new AppError('DRIVER_ERROR', `No driver is installed for vendor "${r.vendor}" model "${r.model}" in this api process.`);
  const access = decryptAccess(deps.box, {
    rest: r.rest as StoredEndpoint | null,
    ssh: r.ssh as StoredEndpoint | null,
    extraAttributes: r.extra_attributes as Record<string, unknown> | null,
  });
  let raw: MaybeMore | undefined;
  let timed: StorageDriver | undefined;
  try {
    raw = descriptor.create(access) as MaybeMore;
    timed = countedDriver(withTimeouts(raw, deps.driverTimeoutMs), deps.counters, r.vendor as string, r.model as string);
    const caps = await timed.capabilities();
    const declared = summarize(descriptor);
    const detected = INVENTORY.filter(([m]) => typeof raw![m] === 'function').map(([, t]) => t);
    return {
      resources: [...new Set([...declared.resources, ...detected])],
      metrics: Object.entries(caps.metrics).map(([resourceType, specs]) => ({ resourceType: resourceType as ResourceType, metrics: (specs ?? []).map((s) => s.name), units: (specs ?? []).map((s) => s.unit) })),
      alerts: typeof raw.parseAlert === 'function' || typeof raw.listAlerts === 'function',
      listAlerts: typeof raw.listAlerts === 'function',
      clearAlert: typeof raw.clearAlert === 'function' && caps.clearAlert !== false,
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw driverFailure(err);
  } finally {
    await timed?.close().catch(() => undefined);
  }
}
