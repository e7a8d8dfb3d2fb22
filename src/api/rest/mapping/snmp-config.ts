// An alert source as Delfin's SnmpConfigRespSpec, and Delfin's SnmpConfigUpdateSpec as our
// input. The community and the keys are taken, never shown.
import type { AlertSourceInput, PublicAlertSource } from '../../../alerts/alert-source.js';
import { invalidInput } from '../errors.js';
import { compact } from './values.js';

export interface DelfinSnmpBody {
  version: 'SNMPV2C' | 'SNMPV3';
  host: string;
  community_string?: string;
  username?: string;
  engine_id?: string;
  security_level?: 'noAuthnoPriv' | 'authNoPriv' | 'authPriv';
  auth_protocol?: 'MD5' | 'SHA';
  auth_key?: string;
  privacy_protocol?: '3DES' | 'DES' | 'AES';
  privacy_key?: string;
  /** Delfin's settings for polling the device's SNMP agent, which this server does not do. */
  context_name?: string;
  retry_num?: number;
  expiration?: number;
  port?: number;
}

export function fromDelfinSnmp(b: DelfinSnmpBody): AlertSourceInput {
  if (b.version === 'SNMPV2C') return { version: 'V2C', host: b.host, community: b.community_string, engineId: b.engine_id };
  checkSecurityLevel(b);
  return {
    version: 'V3',
    host: b.host,
    username: b.username,
    engineId: b.engine_id,
    authProtocol: b.auth_protocol,
    authKey: b.auth_key,
    privacyProtocol: b.privacy_protocol as AlertSourceInput['privacyProtocol'],
    privacyKey: b.privacy_key,
  };
}

function checkSecurityLevel(b: DelfinSnmpBody): void {
  if (b.security_level === 'noAuthnoPriv') {
    throw invalidInput('security_level noAuthnoPriv is not accepted: an SNMPv3 source here authenticates its traps (authNoPriv or authPriv).', ['security_level']);
  }
  if (b.privacy_protocol === '3DES') throw invalidInput('privacy_protocol 3DES is not supported: use DES or AES.', ['privacy_protocol']);
  if (b.security_level === 'authNoPriv' && (b.privacy_protocol || b.privacy_key)) {
    throw invalidInput('privacy_protocol and privacy_key are for security_level authPriv, not authNoPriv.', ['security_level']);
  }
  if (b.security_level === 'authPriv' && !(b.privacy_protocol && b.privacy_key)) {
    throw invalidInput('security_level authPriv needs privacy_protocol and privacy_key.', ['privacy_protocol']);
  }
}

export function toDelfinSnmp(storageId: string, s: PublicAlertSource) {
  const v3 = s.version === 'V3';
  return compact({
    id: storageId,
    storage_id: storageId,
    version: v3 ? 'SNMPV3' : 'SNMPV2C',
    host: s.host,
    username: s.username,
    engine_id: s.engineId,
    security_level: v3 ? (s.privacyProtocol ? 'authPriv' : s.authProtocol ? 'authNoPriv' : 'noAuthnoPriv') : null,
    // Delfin's enums have fewer protocols than we accept: the others are left out.
    auth_protocol: s.authProtocol === 'MD5' || s.authProtocol === 'SHA' ? s.authProtocol : null,
    privacy_protocol: s.privacyProtocol === 'DES' || s.privacyProtocol === 'AES' ? s.privacyProtocol : null,
  });
}
