// The Swordfish driver's settings: where the array is, how to trust it, and its extraAttributes.
import { z } from 'zod';
import type { AccessInfo } from '../driver.js';
import { DriverError, DriverInputError } from '../driver-error.js';
import { normalizeFingerprint } from '../tls-trust.js';

export interface SwordfishOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  caCertificate: string | null;
  /** Lowercase hex, no colons. */
  certificateFingerprint: string | null;
  verifyTls: boolean;
  /** The Storage resource chosen: its Id or @odata.id; absent when the service has one. */
  storage: string | null;
  /** Requests in flight to this array at most (per process). */
  maxConcurrentRequests: number;
  /** Members fetched per page of a listing. */
  pageSize: number;
  /** One HTTP request's deadline; a call (the caller's timeout) may span many. */
  requestTimeoutMs: number;
  /** Attempts of a GET that met a 5xx or a dropped connection (1 = no retry). */
  getAttempts: number;
  retryBackoffMs: number;
}

// Delfin's extra_attributes is a string map: integers written in decimal are accepted too.
function integer(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().min(min).max(max),
  );
}

const attributesSchema = z.object({
  storage: z.string().min(1).max(1024).optional(),
  maxConcurrentRequests: integer(1, 64).default(4),
  pageSize: integer(1, 10_000).default(200),
  requestTimeoutMs: integer(100, 600_000).default(30_000),
  getAttempts: integer(1, 10).default(3),
  retryBackoffMs: integer(0, 60_000).default(250),
});

const RULES: Record<string, string> = {
  storage: 'the Id or @odata.id of a Storage resource (a non-empty string)',
  maxConcurrentRequests: 'an integer from 1 to 64',
  pageSize: 'an integer from 1 to 10000',
  requestTimeoutMs: 'an integer number of milliseconds from 100 to 600000',
  getAttempts: 'an integer from 1 to 10',
  retryBackoffMs: 'an integer number of milliseconds from 0 to 60000',
};

function parseAttributes(raw: Record<string, unknown>) {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined));
  const parsed = attributesSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const name = String(parsed.error.issues[0]?.path[0] ?? 'extraAttributes');
  throw new DriverInputError(
    `snia/swordfish: extraAttributes.${name} must be ${RULES[name] ?? 'valid'}, got ${JSON.stringify(present[name]) ?? 'nothing'}`,
    `extraAttributes.${name}`,
  );
}

/** Validates access info for the Swordfish driver; throws DriverError naming what is wrong. */
export function parseSwordfishOptions(access: AccessInfo): SwordfishOptions {
  const rest = access?.rest;
  if (!rest || typeof rest.host !== 'string' || rest.host.trim() === '') {
    throw new DriverError('snia/swordfish needs rest access info (host, port, username, password)', 'validate');
  }
  const extra = access.extraAttributes;
  if (extra !== null && extra !== undefined && (typeof extra !== 'object' || Array.isArray(extra))) {
    throw new DriverInputError('snia/swordfish: extraAttributes must be an object', 'extraAttributes');
  }
  const attributes = parseAttributes(extra ?? {});
  let fingerprint: string | null = null;
  if (rest.certificateFingerprint) {
    fingerprint = normalizeFingerprint(rest.certificateFingerprint);
    if (!fingerprint) {
      throw new DriverInputError('rest.certificateFingerprint must be a SHA-256 fingerprint: 64 hex digits, with or without colons', 'rest.certificateFingerprint');
    }
  }
  return {
    host: rest.host,
    port: rest.port,
    username: rest.username,
    password: rest.password,
    caCertificate: rest.caCertificate || null,
    certificateFingerprint: fingerprint,
    verifyTls: rest.verifyTls !== false,
    storage: attributes.storage ?? null,
    maxConcurrentRequests: attributes.maxConcurrentRequests,
    pageSize: attributes.pageSize,
    requestTimeoutMs: attributes.requestTimeoutMs,
    getAttempts: attributes.getAttempts,
    retryBackoffMs: attributes.retryBackoffMs,
  };
}
