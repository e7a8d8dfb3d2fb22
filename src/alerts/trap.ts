// What net-snmp hands over for a trap or inform, as the driver-facing SnmpTrap: the trap OID
// (v1 traps converted as RFC 3584 3.1 says) and the other varbinds with their values as text.
import snmp from 'net-snmp';
import type { SnmpTrap, TrapVarbind } from '../drivers/driver.js';

const SYS_UP_TIME = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
/** snmpTraps: the generic v1 traps are snmpTraps.(generic + 1). */
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
const V1_TRAP_PDU = 164;
const ENTERPRISE_SPECIFIC = 6;

export function toSnmpTrap(pdu: snmp.Pdu, version: SnmpTrap['version'], senderAddress: string, receivedAt: Date): SnmpTrap {
  const all = pdu.varbinds.map(toVarbind);
  if (pdu.type === V1_TRAP_PDU) {
    const trapOid = pdu.generic === ENTERPRISE_SPECIFIC ? `${pdu.enterprise}.0.${pdu.specific}` : `${SNMP_TRAPS}.${(pdu.generic ?? 0) + 1}`;
    return { version: 'V1', trapOid, varbinds: all, senderAddress, receivedAt };
  }
  const trapOid = all.find((v) => v.oid === SNMP_TRAP_OID)?.value ?? '';
  return { version, trapOid, varbinds: all.filter((v) => v.oid !== SYS_UP_TIME && v.oid !== SNMP_TRAP_OID), senderAddress, receivedAt };
}

function toVarbind(v: snmp.Varbind): TrapVarbind {
  return { oid: v.oid, type: String(snmp.ObjectType[v.type] ?? v.type), value: valueText(v.value) };
}

/** Octet strings as UTF-8 when they are printable text, else as 0x-prefixed hex. */
function valueText(value: unknown): string {
  if (Buffer.isBuffer(value)) {
    const text = value.toString('utf8');
    return /^[\P{C}\t\r\n]*$/u.test(text) && !text.includes('\uFFFD') ? text : `0x${value.toString('hex')}`;
  }
  if (value === null || value === undefined) return '';
  return String(value);
}
