// Trusting a REST array's TLS certificate (any REST driver): the CA chain and host name (default), a pinned SHA-256
// fingerprint, or nothing (labs). Node checks chain and name; we only read its verdict, so a
// refused certificate can be reported with the fingerprint an operator would pin.
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { DriverError } from './driver-error.js';

/**
 * "AB:CD:…", plain hex or "sha256:…", any case, to 64 lowercase hex digits; null when it is
 * not a SHA-256 fingerprint.
 */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.trim().replace(/^sha-?256:/i, '').replace(/[:\s]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** 64 hex digits as "AB:CD:…", the form browsers and openssl show. */
export function formatFingerprint(hex: string): string {
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** True when `pem` holds at least one parsable X.509 certificate and nothing else unparsable. */
export function isPemCertificate(pem: string): boolean {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) return false;
  try {
    for (const block of blocks) new X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}

export interface TrustPolicy {
  verifyTls: boolean;
  /** Lowercase hex. */
  certificateFingerprint: string | null;
}

/**
 * Checks a freshly connected socket against the policy (called on 'secureConnect', before a
 * byte of the request is sent). Returns the error to destroy the socket with, or null.
 */
export function refusal(socket: TLSSocket, policy: TrustPolicy, where: string): DriverError | null {
  const seen = socket.getPeerCertificate()?.fingerprint256?.replace(/:/g, '').toLowerCase() ?? '';
  const shown = seen ? formatFingerprint(seen) : 'none (no certificate)';
  if (policy.certificateFingerprint) {
    if (seen === policy.certificateFingerprint) return null;
    return new DriverError(
      `the TLS certificate of ${where} does not match the pinned fingerprint ${formatFingerprint(policy.certificateFingerprint)}: it has SHA-256 fingerprint ${shown}`,
      'connect',
    );
  }
  if (!policy.verifyTls || socket.authorized) return null;
  return new DriverError(
    `the TLS certificate of ${where} is not trusted (${describe(String(socket.authorizationError))}); its SHA-256 fingerprint is ${shown}. ` +
      'Give rest.caCertificate (the CA or the certificate, PEM), pin rest.certificateFingerprint, or set rest.verifyTls to false (labs only).',
    'connect',
  );
}

const REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'no trusted CA signed it',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not a trusted CA',
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
};

function describe(code: string): string {
  return REASONS[code] ? `${REASONS[code]}, ${code}` : code;
}
