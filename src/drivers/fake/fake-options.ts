import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { AccessInfo } from '../driver.js';
import { DriverError } from '../driver-error.js';
import { FAKE_ALERTS_RULE, fakeAlertsSchema, type FakeAlert } from './fake-alerts.js';

export const FAKE_PHASES = ['connect', 'storage', 'pools', 'disks', 'controllers', 'ports', 'volumes', 'metrics', 'alerts'] as const;
export type FakePhase = (typeof FAKE_PHASES)[number];

/** The simulator's settings: the access info's host/port and its validated extraAttributes. */
export interface FakeOptions {
  host: string;
  port: number;
  /** Number of storage pools. */
  pools: number;
  /** Number of volumes at revision 0. */
  volumes: number;
  /** Number of disks at revision 0 (churn removes, changes and adds disks too). */
  disks: number;
  /** Number of controllers. */
  controllers: number;
  /** Ports of each controller (churn flips their connection status). */
  portsPerController: number;
  /** Everything the device contains is drawn from this; an integer seed is used as its decimal string. */
  seed: string;
  /** Sleep in every call and before every volumes page. */
  latencyMs: number;
  failAt?: FakePhase;
  failAfterVolumes?: number;
  hangAt?: FakePhase;
  /** The array goes out of reach at this call: it and every later call of the connection fail as unreachable. */
  unreachableAt?: FakePhase;
  pageSize: number;
  /** Churn: how many rounds of removals, changes and additions were applied to the base device. */
  revision: number;
  /** Seconds between two performance samples (60: one a minute, as arrays report). */
  metricStepSeconds: number;
  /** The first N performance calls of each connection fail (injected), to exercise retries. */
  metricsFailures: number;
  /** The alerts the array holds as current (listAlerts), until cleared through the driver. */
  alerts: FakeAlert[];
}

// Attribute values often arrive as strings (Delfin's extra_attributes is a string map), so an
// integer written in decimal is accepted too.
function integer(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().min(min).max(max),
  );
}

const phase = z.enum(FAKE_PHASES);

const attributesSchema = z.object({
  pools: integer(1, 10_000).default(10),
  volumes: integer(0, 2_000_000).default(100),
  disks: integer(0, 100_000).default(0),
  controllers: integer(0, 64).default(0),
  portsPerController: integer(0, 64).default(0),
  seed: z.union([z.string(), z.number().int()]).default(0).transform(String),
  latencyMs: integer(0, 2 ** 31 - 1).default(0),
  failAt: phase.optional(),
  failAfterVolumes: integer(0, Number.MAX_SAFE_INTEGER).optional(),
  hangAt: phase.optional(),
  unreachableAt: phase.optional(),
  pageSize: integer(1, 10_000).default(500),
  revision: integer(0, 100_000).default(0),
  metricStepSeconds: integer(1, 3600).default(60),
  metricsFailures: integer(0, 1000).default(0),
  passwordSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  alerts: fakeAlertsSchema,
});

// One sentence per attribute, so the user reads what is expected rather than a schema path.
const RULES: Record<string, string> = {
  pools: 'an integer from 1 to 10000',
  volumes: 'an integer from 0 to 2000000',
  disks: 'an integer from 0 to 100000',
  controllers: 'an integer from 0 to 64',
  portsPerController: 'an integer from 0 to 64',
  seed: 'a string or an integer',
  latencyMs: 'an integer number of milliseconds, 0 or more',
  failAt: `one of ${FAKE_PHASES.join(', ')}`,
  failAfterVolumes: 'an integer, 0 or more',
  hangAt: `one of ${FAKE_PHASES.join(', ')}`,
  unreachableAt: `one of ${FAKE_PHASES.join(', ')}`,
  pageSize: 'an integer from 1 to 10000',
  revision: 'an integer from 0 to 100000',
  metricStepSeconds: 'an integer number of seconds from 1 to 3600',
  metricsFailures: 'an integer from 0 to 1000',
  alerts: FAKE_ALERTS_RULE,
  passwordSha256: '64 lowercase hex digits (the SHA-256 of the password the array accepts)',
};

function describeValue(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function parseAttributes(raw: Record<string, unknown>) {
  // A null attribute means "not set", as a JSON client would send it.
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined));
  const parsed = attributesSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const name = String(parsed.error.issues[0]?.path[0] ?? 'extraAttributes');
  throw new DriverError(
    `fake_driver: extraAttributes.${name} must be ${RULES[name] ?? 'valid'}, got ${describeValue(present[name])}`,
    'validate',
  );
}

/** Validates access info for the simulator; throws DriverError naming what is wrong. */
export function parseFakeOptions(access: AccessInfo): FakeOptions {
  const rest = access?.rest;
  if (!rest || typeof rest.host !== 'string' || rest.host.trim() === '') {
    throw new DriverError('fake_driver needs rest access info with a host', 'validate');
  }
  const extra = access.extraAttributes;
  if (extra !== null && extra !== undefined && (typeof extra !== 'object' || Array.isArray(extra))) {
    throw new DriverError('fake_driver: extraAttributes must be an object', 'validate');
  }
  const { passwordSha256, ...attributes } = parseAttributes(extra ?? {});
  if (passwordSha256 !== undefined) checkPassword(rest, passwordSha256);
  return { host: rest.host, port: rest.port, ...attributes };
}

/**
 * `passwordSha256` makes the simulator an array with a password: the rest password must hash to
 * it. Only the hash sits in extraAttributes, which the API shows.
 */
function checkPassword(rest: { host: string; username?: string; password?: string | null }, expected: string): void {
  const given = createHash('sha256').update(rest.password ?? '', 'utf8').digest();
  if (!timingSafeEqual(given, Buffer.from(expected, 'hex'))) {
    throw new DriverError(`fake_driver: ${rest.host} refused the login of user ${rest.username ?? ''} (wrong password)`, 'connect');
  }
}
