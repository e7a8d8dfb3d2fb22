// Access info as the user gives it: checked for shape and size, turned into what a driver
// receives, and into what is stored (passwords sealed).
import type { AccessInfo as DriverAccess } from '../../drivers/driver.js';
import type { StoredEndpoint } from '../../db/entities/index.js';
import type { SecretBox } from '../../db/secrets.js';
import { formatFingerprint, isPemCertificate, normalizeFingerprint } from '../../drivers/tls-trust.js';
import { badInput } from '../../errors.js';
import type { RestAccessInput, SshAccessInput } from '../types/inputs.js';

export interface AccessInput {
  rest?: RestAccessInput | null;
  ssh?: SshAccessInput | null;
  extraAttributes?: Record<string, unknown> | null;
}

const MAX_EXTRA_BYTES = 16 * 1024;
const MAX_EXTRA_DEPTH = 5;

export function checkAccessInput(input: AccessInput): void {
  if (!input.rest && !input.ssh) throw badInput('Give rest or ssh access info: the driver needs a way to reach the array.', 'rest');
  if (input.rest) checkTlsTrust(input.rest);
  const extra = input.extraAttributes;
  if (extra === undefined || extra === null) return;
  if (typeof extra !== 'object' || Array.isArray(extra)) {
    throw badInput('extraAttributes must be an object of driver settings, e.g. {"pools": 5}.', 'extraAttributes');
  }
  if (JSON.stringify(extra).length > MAX_EXTRA_BYTES) {
    throw badInput(`extraAttributes must be at most ${MAX_EXTRA_BYTES} bytes of JSON.`, 'extraAttributes');
  }
  if (depth(extra) > MAX_EXTRA_DEPTH) throw badInput(`extraAttributes must nest at most ${MAX_EXTRA_DEPTH} levels.`, 'extraAttributes');
}

function checkTlsTrust(rest: RestAccessInput): void {
  if (rest.caCertificate && !isPemCertificate(rest.caCertificate)) {
    throw badInput('rest.caCertificate must be one or more X.509 certificates in PEM ("-----BEGIN CERTIFICATE-----" ...).', 'rest.caCertificate');
  }
  if (rest.certificateFingerprint && !normalizeFingerprint(rest.certificateFingerprint)) {
    throw badInput(
      'rest.certificateFingerprint must be a SHA-256 fingerprint: 64 hex digits, as "AB:CD:...", plain hex or "sha256:...".',
      'rest.certificateFingerprint',
    );
  }
}

function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(v as object).map(depth));
}

export function toDriverAccess(input: AccessInput): DriverAccess {
  return {
    rest: input.rest ? { ...input.rest } : null,
    ssh: input.ssh ? { ...input.ssh } : null,
    extraAttributes: input.extraAttributes ?? null,
  };
}

export function toStoredEndpoint(box: SecretBox, e: RestAccessInput | SshAccessInput | null | undefined): StoredEndpoint | null {
  if (!e) return null;
  const stored: StoredEndpoint = {
    host: e.host,
    port: e.port,
    username: e.username,
    passwordEncrypted: e.password ? box.encrypt(e.password) : null,
    pubKey: 'pubKey' in e ? (e.pubKey ?? null) : null,
  };
  if ('verifyTls' in e || 'caCertificate' in e || 'certificateFingerprint' in e) Object.assign(stored, storedTrust(e as RestAccessInput));
  return stored;
}

/** How to trust the array's certificate, as stored and shown: the fingerprint as "AB:CD:...". */
function storedTrust(e: RestAccessInput): Pick<StoredEndpoint, 'caCertificate' | 'certificateFingerprint' | 'verifyTls'> {
  const pin = e.certificateFingerprint ? normalizeFingerprint(e.certificateFingerprint) : null;
  return { caCertificate: e.caCertificate || null, certificateFingerprint: pin && formatFingerprint(pin), verifyTls: e.verifyTls !== false };
}
