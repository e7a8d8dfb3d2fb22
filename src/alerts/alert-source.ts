// An alert source: where a storage's SNMP traps come from and how they are authenticated.
// `validateAlertSource` turns what a user typed into a source, or fails naming the field.
import { isIP } from 'node:net';
import { badInput } from '../errors.js';

export const SNMP_AUTH_PROTOCOLS = ['MD5', 'SHA', 'SHA224', 'SHA256', 'SHA384', 'SHA512'] as const;
export const SNMP_PRIVACY_PROTOCOLS = ['DES', 'AES', 'AES256B', 'AES256R'] as const;
export type SnmpVersion = 'V2C' | 'V3';
export type SnmpAuthProtocol = (typeof SNMP_AUTH_PROTOCOLS)[number];
export type SnmpPrivacyProtocol = (typeof SNMP_PRIVACY_PROTOCOLS)[number];

/** SNMPv3 (RFC 3414) refuses pass phrases shorter than 8 characters. */
export const MIN_KEY_LENGTH = 8;

export interface AlertSourceInput {
  host: string;
  version: SnmpVersion;
  community?: string | null;
  username?: string | null;
  authProtocol?: SnmpAuthProtocol | null;
  authKey?: string | null;
  privacyProtocol?: SnmpPrivacyProtocol | null;
  privacyKey?: string | null;
  engineId?: string | null;
}

/** A validated source with its secrets in clear: held in memory only, never logged. */
export interface AlertSource {
  storageId: string;
  host: string;
  version: SnmpVersion;
  community: string | null;
  username: string | null;
  authProtocol: SnmpAuthProtocol | null;
  authKey: string | null;
  privacyProtocol: SnmpPrivacyProtocol | null;
  privacyKey: string | null;
  /** Lowercase hex, no 0x. */
  engineId: string | null;
}

/** What the API shows of a source: never the community or the keys. */
export type PublicAlertSource = Pick<AlertSource, 'host' | 'version' | 'username' | 'authProtocol' | 'privacyProtocol' | 'engineId'>;

export const publicView = (s: AlertSource): PublicAlertSource => ({
  host: s.host,
  version: s.version,
  username: s.username,
  authProtocol: s.authProtocol,
  privacyProtocol: s.privacyProtocol,
  engineId: s.engineId,
});

/** A sender address as the receiver sees it: IPv4-mapped IPv6 as IPv4, IPv6 lowercase without brackets. */
export function normalizeAddress(address: string): string {
  const plain = address.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  return mapped ? mapped[1]! : plain;
}

const blank = (v: string | null | undefined): boolean => v === undefined || v === null || v === '';

export function validateAlertSource(storageId: string, input: AlertSourceInput): AlertSource {
  const host = normalizeAddress(input.host.trim());
  if (isIP(host) === 0) throw badInput(`host must be the IP address the traps come from (IPv4 or IPv6); got "${input.host}".`, 'host');
  const engineId = validateEngineId(input.engineId);
  if (input.version === 'V2C') return { ...v2c(input), storageId, host, engineId };
  if (input.version === 'V3') return { ...v3(input), storageId, host, engineId };
  throw badInput(`version must be V2C or V3; got "${String(input.version)}".`, 'version');
}

function v2c(input: AlertSourceInput) {
  if (blank(input.community)) throw badInput('community is required for an SNMP V2C source.', 'community');
  for (const field of ['username', 'authProtocol', 'authKey', 'privacyProtocol', 'privacyKey'] as const) {
    if (!blank(input[field])) throw badInput(`${field} is for V3 sources; a V2C source has a community only.`, field);
  }
  return { version: 'V2C' as const, community: input.community!, username: null, authProtocol: null, authKey: null, privacyProtocol: null, privacyKey: null };
}

function v3(input: AlertSourceInput) {
  if (!blank(input.community)) throw badInput('community is for V2C sources; a V3 source authenticates with username and keys.', 'community');
  if (blank(input.username)) throw badInput('username is required for an SNMP V3 (USM) source.', 'username');
  if (input.username!.length > 32) throw badInput('username must be at most 32 characters (SNMP USM).', 'username');
  const auth = protocolAndKey(input.authProtocol, input.authKey, SNMP_AUTH_PROTOCOLS, 'authProtocol', 'authKey');
  if (!auth) throw badInput('authProtocol and authKey are required for a V3 source (authNoPriv or authPriv).', 'authProtocol');
  const priv = protocolAndKey(input.privacyProtocol, input.privacyKey, SNMP_PRIVACY_PROTOCOLS, 'privacyProtocol', 'privacyKey');
  return {
    version: 'V3' as const,
    community: null,
    username: input.username!,
    authProtocol: auth.protocol,
    authKey: auth.key,
    privacyProtocol: priv?.protocol ?? null,
    privacyKey: priv?.key ?? null,
  };
}

function protocolAndKey<P extends string>(
  protocol: string | null | undefined,
  key: string | null | undefined,
  known: readonly P[],
  protocolField: string,
  keyField: string,
): { protocol: P; key: string } | undefined {
  if (blank(protocol) && blank(key)) return undefined;
  if (blank(protocol)) throw badInput(`${protocolField} is required with ${keyField}.`, protocolField);
  if (!known.includes(protocol as P)) throw badInput(`${protocolField} must be one of ${known.join(', ')}; got "${protocol}".`, protocolField);
  if (blank(key)) throw badInput(`${keyField} is required with ${protocolField}.`, keyField);
  if (key!.length < MIN_KEY_LENGTH) throw badInput(`${keyField} must be at least ${MIN_KEY_LENGTH} characters (SNMPv3 refuses shorter pass phrases).`, keyField);
  return { protocol: protocol as P, key: key! };
}

/** Hex, with or without 0x, 5 to 32 bytes (RFC 3411 SnmpEngineID). */
function validateEngineId(text: string | null | undefined): string | null {
  if (blank(text)) return null;
  const hex = text!.trim().replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]*$/.test(hex) || hex.length % 2 !== 0 || hex.length < 10 || hex.length > 64) {
    throw badInput(`engineId must be 5 to 32 bytes in hex (10 to 64 hex digits, optionally after 0x); got "${text}".`, 'engineId');
  }
  return hex;
}
