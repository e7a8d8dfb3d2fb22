// Parsing dispatch: a trap goes to its storage's driver (`parseAlert`); what no driver reads is
// still kept, NOT_SPECIFIED, with the trap OID and varbinds in its description.
import { createHash } from 'node:crypto';
import type { DriverDescriptor, ParsedAlert, SnmpTrap } from '../drivers/driver.js';

export function parseTrap(driver: DriverDescriptor | undefined, trap: SnmpTrap, fingerprint: string): ParsedAlert {
  let parsed: ParsedAlert | undefined;
  try {
    parsed = driver?.parseAlert?.(trap);
  } catch {
    parsed = undefined; // a driver's bug must not lose the trap
  }
  return parsed ?? unparsed(trap, fingerprint);
}

function unparsed(trap: SnmpTrap, fingerprint: string): ParsedAlert {
  const varbinds = trap.varbinds.map((v) => `${v.oid} = ${v.value}`).join('; ');
  return {
    kind: 'raised',
    alertId: trap.trapOid,
    alertName: `SNMP trap ${trap.trapOid}`,
    severity: 'NOT_SPECIFIED',
    category: 'NOT_SPECIFIED',
    description: `trap ${trap.trapOid} from ${trap.senderAddress}${varbinds ? `: ${varbinds}` : ''}`,
    sequenceNumber: `trap-${fingerprint}`,
  };
}

/**
 * Names one sending of a trap, the same in every receiver (so it is stored once) and for a
 * repeated inform, and different for the next occurrence (sysUpTime moves on).
 */
export function trapFingerprint(requestId: unknown, trapOid: string, varbinds: readonly { oid: string; value: unknown }[]): string {
  const h = createHash('sha256').update(String(requestId)).update('\0').update(trapOid);
  for (const v of varbinds) h.update('\0').update(v.oid).update('=').update(String(v.value));
  return h.digest('hex').slice(0, 32);
}
