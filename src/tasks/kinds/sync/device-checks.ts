// What a sync accepts from a driver, one shape per kind of resource, as pure functions. A
// resource that breaks its shape fails the sync with a reason naming it and its field, before
// anything of its kind is written (docs/drivers.md, "What a sync checks"). What is well-formed
// but odd (a used capacity above the total, a volume naming a pool not listed, an id listed
// twice) is the device's word and is kept as it says (the first of a duplicated id counts).
import { DriverError } from '../../../drivers/driver-error.js';
import {
  nativeId, oneOf, optionalBytes, optionalFlag, optionalRate, optionalText, preview, requiredBytes, requiredText,
  type FieldCheck,
} from './device-fields.js';

const STATUSES = ['NORMAL', 'OFFLINE', 'ABNORMAL', 'DEGRADED', 'UNKNOWN'];
const HEALTH = ['NORMAL', 'ABNORMAL', 'OFFLINE', 'UNKNOWN'];

export interface DeviceShape {
  /** The resource in messages ("volume"). */
  noun: string;
  /** Its native id field, named in messages; none for the array itself. */
  idField?: string;
  fields: Record<string, FieldCheck>;
}

const capacities = { totalCapacity: requiredBytes, usedCapacity: requiredBytes, freeCapacity: requiredBytes };

export const STORAGE_SHAPE: DeviceShape = {
  noun: 'storage',
  fields: {
    name: requiredText, description: optionalText, vendor: requiredText, model: requiredText,
    serialNumber: requiredText, firmwareVersion: optionalText, location: optionalText, status: oneOf(STATUSES),
    ...capacities, rawCapacity: optionalBytes, subscribedCapacity: optionalBytes,
  },
};

export const POOL_SHAPE: DeviceShape = {
  noun: 'pool',
  idField: 'nativeStoragePoolId',
  fields: {
    nativeStoragePoolId: nativeId, name: requiredText, description: optionalText,
    storageType: oneOf(['BLOCK', 'FILE', 'UNIFIED'], true), status: oneOf(STATUSES), ...capacities, subscribedCapacity: optionalBytes,
  },
};

export const VOLUME_SHAPE: DeviceShape = {
  noun: 'volume',
  idField: 'nativeVolumeId',
  fields: {
    nativeVolumeId: nativeId, name: requiredText, description: optionalText, type: oneOf(['THICK', 'THIN'], true),
    status: oneOf(['AVAILABLE', 'ERROR']), nativeStoragePoolId: optionalText, wwn: optionalText, ...capacities,
    compressed: optionalFlag, deduplicated: optionalFlag,
  },
};

export const DISK_SHAPE: DeviceShape = {
  noun: 'disk',
  idField: 'nativeDiskId',
  fields: {
    nativeDiskId: nativeId, name: requiredText, status: oneOf(HEALTH), mediaType: oneOf(['HDD', 'SSD', 'SCM', 'UNKNOWN']),
    capacity: requiredBytes, manufacturer: optionalText, model: optionalText, serialNumber: optionalText,
    firmware: optionalText, speedGbps: optionalRate, location: optionalText,
  },
};

export const CONTROLLER_SHAPE: DeviceShape = {
  noun: 'controller',
  idField: 'nativeControllerId',
  fields: { nativeControllerId: nativeId, name: requiredText, status: oneOf(HEALTH), firmware: optionalText, location: optionalText, memoryBytes: optionalBytes },
};

export const PORT_SHAPE: DeviceShape = {
  noun: 'port',
  idField: 'nativePortId',
  fields: {
    nativePortId: nativeId, name: requiredText,
    type: oneOf(['FC', 'ISCSI', 'ETHERNET', 'SAS', 'NVME_OVER_FABRICS', 'INFINIBAND', 'OTHER']),
    connectionStatus: oneOf(['CONNECTED', 'DISCONNECTED', 'UNKNOWN']), healthStatus: oneOf(HEALTH),
    speedGbps: optionalRate, wwn: optionalText, macAddress: optionalText, ipAddress: optionalText,
    location: optionalText, nativeControllerId: optionalText,
  },
};

/** The first thing wrong with one resource, as a sentence, or undefined when it fits its shape. */
export function resourceProblem(shape: DeviceShape, item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return `a ${shape.noun} must be an object (got ${preview(item)})`;
  const r = item as Record<string, unknown>;
  for (const field in shape.fields) {
    const wrong = shape.fields[field]!(r[field]);
    if (wrong === undefined) continue;
    const id = shape.idField && field !== shape.idField ? ` ${preview(r[shape.idField])}` : '';
    return `${shape.noun}${id}: ${field} ${wrong} (got ${preview(r[field])})`;
  }
  return undefined;
}

/** The first thing wrong with a page of a listing (its shape, then each item), or undefined. */
export function pageProblem(shape: DeviceShape, page: unknown): string | undefined {
  if (typeof page !== 'object' || page === null || !Array.isArray((page as { items?: unknown }).items)) {
    return `a page of ${shape.noun}s must be an object with an "items" list (got ${preview(page)})`;
  }
  const { items, total } = page as { items: unknown[]; total?: unknown };
  if (total !== undefined && total !== null && !(Number.isSafeInteger(total) && (total as number) >= 0)) {
    return `a page of ${shape.noun}s: total must be a whole number, not negative (got ${preview(total)})`;
  }
  return listProblem(shape, items);
}

/** The first thing wrong with a whole listing (listPools), or undefined. */
export function listProblem(shape: DeviceShape, items: unknown): string | undefined {
  if (!Array.isArray(items)) return `the ${shape.noun}s must be a list (got ${preview(items)})`;
  for (const item of items) {
    const problem = resourceProblem(shape, item);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Fails the sync, naming the resource and the field, when `problem` says something is wrong. */
export function refuse(phase: string, problem: string | undefined): void {
  if (problem !== undefined) throw new DriverError(`the driver returned a malformed answer: ${problem}`, phase);
}
