// What differs between a declared storage (applyStorages) and the one registered: each part is
// compared only when the declaration gives it, so a part left out is left as it is. Secrets are
// compared in clear, in memory, so an unchanged password is no change.
import type { AccessInfo as DriverAccess } from '../../drivers/driver.js';
import type { AlertSource } from '../../alerts/alert-source.js';
import { formatFingerprint, normalizeFingerprint } from '../../drivers/tls-trust.js';
import type { MetricsConfig } from '../../db/stores/metrics-config-store.js';
import { POLLINGS } from '../../db/stores/metrics-config-store.js';
import type { SyncScheduleRow } from '../../db/stores/sync-schedule-store.js';
import type { Repeat } from '../../scheduler/jobs.js';
import type { StorageDeclarationInput } from '../types/apply.js';
import type { MetricsConfigInput } from '../types/metrics.js';

/** The parts of a storage applyStorages sets, in the order it sets them. */
export const DECLARED_PARTS = ['access', 'description', 'syncSchedule', 'metricsConfig', 'alertSource'] as const;
export type DeclaredPart = (typeof DECLARED_PARTS)[number];

/** JSON with its keys sorted: two objects equal in content give one text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const fingerprint = (v: string | null | undefined): string | null => {
  const pin = v ? normalizeFingerprint(v) : null;
  return pin ? formatFingerprint(pin) : null;
};

export function accessDiffers(declared: StorageDeclarationInput, stored: DriverAccess): boolean {
  const d = declared;
  if (d.rest) {
    const s = stored.rest;
    if (!s) return true;
    const want = [d.rest.host, d.rest.port, d.rest.username, d.rest.password, d.rest.verifyTls !== false, d.rest.caCertificate || null, fingerprint(d.rest.certificateFingerprint)];
    const have = [s.host, s.port, s.username, s.password, s.verifyTls !== false, s.caCertificate || null, fingerprint(s.certificateFingerprint)];
    if (canonicalJson(want) !== canonicalJson(have)) return true;
  }
  if (d.ssh) {
    const s = stored.ssh;
    if (!s) return true;
    const want = [d.ssh.host, d.ssh.port, d.ssh.username, d.ssh.password ?? null, d.ssh.pubKey ?? null];
    const have = [s.host, s.port, s.username, s.password ?? null, s.pubKey ?? null];
    if (canonicalJson(want) !== canonicalJson(have)) return true;
  }
  return d.extraAttributes !== undefined && canonicalJson(d.extraAttributes ?? null) !== canonicalJson(stored.extraAttributes ?? null);
}

/**
 * A declared schedule against the one stored. `repeat` is what the declaration gives (none:
 * `enabled: false` alone, which keeps the stored repeat; with no schedule stored it is no change).
 */
export function scheduleDiffers(enabled: boolean, repeat: Repeat | undefined, stored: SyncScheduleRow | null): boolean {
  if (!stored) return enabled || repeat !== undefined;
  if (stored.enabled !== enabled) return true;
  if (!repeat) return false;
  return (repeat.intervalSeconds ?? null) !== stored.intervalSeconds || (repeat.cron ?? null) !== stored.cron;
}

export function metricsDiffer(declared: MetricsConfigInput, stored: MetricsConfig): boolean {
  return POLLINGS.some(({ key }) => {
    const want = declared[key];
    return want && canonicalJson({ ...want }) !== canonicalJson(stored[key]);
  });
}

export function alertSourceDiffers(declared: AlertSource, stored: AlertSource | undefined): boolean {
  return !stored || canonicalJson({ ...declared, storageId: null }) !== canonicalJson({ ...stored, storageId: null });
}
