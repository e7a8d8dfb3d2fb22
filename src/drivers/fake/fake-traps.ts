// The simulator's SNMP traps (issue 15). 32473 is the enterprise number IANA reserves for
// documentation. Raised: trap OID .1.0.1; cleared: .1.0.2; OCTET STRING varbinds under .1.1.N.
import type { AlertCategory, AlertSeverity, ParsedAlert, SnmpTrap } from '../driver.js';

export const FAKE_TRAP_RAISED = '1.3.6.1.4.1.32473.1.0.1';
export const FAKE_TRAP_CLEARED = '1.3.6.1.4.1.32473.1.0.2';
export const FAKE_VARBIND_PREFIX = '1.3.6.1.4.1.32473.1.1.';

/** The varbind numbers under FAKE_VARBIND_PREFIX. */
export const FAKE_VARBINDS = {
  alertId: 1,
  alertName: 2,
  severity: 3,
  category: 4,
  description: 5,
  location: 6,
  sequenceNumber: 7,
  resourceType: 8,
} as const;

export const SEVERITIES: Record<string, AlertSeverity> = {
  Fatal: 'FATAL',
  Critical: 'CRITICAL',
  Major: 'MAJOR',
  Minor: 'MINOR',
  Warning: 'WARNING',
  Informational: 'INFORMATIONAL',
};
export const CATEGORIES: Record<string, AlertCategory> = { Fault: 'FAULT', Event: 'EVENT', Recovery: 'RECOVERY' };

/** A simulator trap as an alert; undefined for another trap or one without a sequence number. */
export function parseFakeTrap(trap: SnmpTrap): ParsedAlert | undefined {
  if (trap.trapOid !== FAKE_TRAP_RAISED && trap.trapOid !== FAKE_TRAP_CLEARED) return undefined;
  const field = (name: keyof typeof FAKE_VARBINDS) => trap.varbinds.find((v) => v.oid === FAKE_VARBIND_PREFIX + FAKE_VARBINDS[name])?.value;
  const sequenceNumber = field('sequenceNumber');
  if (!sequenceNumber) return undefined;
  const alertId = field('alertId') ?? '';
  return {
    kind: trap.trapOid === FAKE_TRAP_RAISED ? 'raised' : 'cleared',
    alertId,
    alertName: field('alertName') ?? alertId,
    severity: SEVERITIES[field('severity') ?? ''] ?? 'NOT_SPECIFIED',
    category: CATEGORIES[field('category') ?? ''] ?? 'NOT_SPECIFIED',
    description: field('description') ?? '',
    location: field('location') ?? null,
    resourceType: field('resourceType') ?? null,
    sequenceNumber,
  };
}
