// What a driver descriptor must look like, checked at run time: a plugin is plain JavaScript,
// so the compiler never saw it. Also fills in the optional fields a plugin may leave out.
import type { AccessType, DriverDescriptor, DriverResource } from './driver.js';

const ACCESS_TYPES: readonly AccessType[] = ['REST', 'SSH'];
/** What a sync reads from every driver; the default `resources`. */
export const BASE_RESOURCES: readonly DriverResource[] = ['STORAGE', 'STORAGE_POOL', 'VOLUME'];

const RESOURCES: readonly DriverResource[] = [...BASE_RESOURCES, 'DISK', 'CONTROLLER', 'PORT'];

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Why `value` is not a driver descriptor, or undefined when it is one. */
export function descriptorProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return `expected an object with vendor, model and create, got ${describe(value)}`;
  const d = value as Record<string, unknown>;
  if (!isText(d.vendor)) return `"vendor" must be a non-empty string, got ${describe(d.vendor)}`;
  if (!isText(d.model)) return `"model" must be a non-empty string, got ${describe(d.model)}`;
  const name = `${d.vendor}/${d.model}`;
  if (typeof d.create !== 'function') return `${name}: "create" must be a function (access info => driver), got ${describe(d.create)}`;
  if (d.description !== undefined && typeof d.description !== 'string') return `${name}: "description" must be a string`;
  if (d.accessTypes !== undefined && !isListOf(d.accessTypes, ACCESS_TYPES)) {
    return `${name}: "accessTypes" must be a non-empty list of ${ACCESS_TYPES.join(', ')}`;
  }
  if (d.resources !== undefined && !isListOf(d.resources, RESOURCES)) {
    return `${name}: "resources" must be a non-empty list of ${RESOURCES.join(', ')}`;
  }
  return undefined;
}

function isListOf(value: unknown, allowed: readonly string[]): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((v) => allowed.includes(v as string));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** What the `drivers` query shows of a descriptor, with the defaults for what it leaves out. */
export interface DriverSummary {
  vendor: string;
  model: string;
  description: string | null;
  accessTypes: AccessType[];
  resources: DriverResource[];
}

export function summarize(d: DriverDescriptor): DriverSummary {
  return {
    vendor: d.vendor,
    model: d.model,
    description: d.description ?? null,
    accessTypes: d.accessTypes ? [...d.accessTypes] : ['REST'],
    resources: d.resources ? [...d.resources] : [...BASE_RESOURCES],
  };
}
