// Key rotation: every stored password re-encrypted under a new key, in one transaction (all or
// nothing). A password that already opens with the new key is left as it is, so running it
// again (after a failure, or after switching DELFIN_SECRET_KEY) is safe.
import type { StoredEndpoint } from './entities/index.js';
import type { SecretBox } from './secrets.js';
import type { Sql } from './sql.js';
import { lockAllEndpoints, replaceEndpoints } from './stores/access-info-store.js';
import { rotateAlertSourceSecrets } from './rotate-alert-source-secrets.js';

export interface RotationResult {
  /** Access-info rows read (one per storage). */
  storages: number;
  /** Passwords re-encrypted under the new key now. */
  reencrypted: number;
  /** Passwords that were already under the new key. */
  alreadyNew: number;
  /** Alert source communities and keys re-encrypted now, and already under the new key. */
  alertSourceSecrets: { reencrypted: number; alreadyNew: number };
}

type Outcome = 'reencrypted' | 'alreadyNew' | 'none';

/** Throws, naming the storage (never a password), when a password opens with neither key. */
export async function rotateSecrets(sql: Sql, oldBox: SecretBox, newBox: SecretBox): Promise<RotationResult> {
  return sql.tx(async (q) => {
    // FOR UPDATE: an updateAccessInfo running meanwhile waits, so it cannot write under the old key after us.
    const rows = await lockAllEndpoints(q);
    const result: RotationResult = { storages: rows.length, reencrypted: 0, alreadyNew: 0, alertSourceSecrets: { reencrypted: 0, alreadyNew: 0 } };
    for (const row of rows) {
      const where = `storage ${row.storageId}`;
      const rest = reseal(row.rest, oldBox, newBox, `${where} (rest)`);
      const ssh = reseal(row.ssh, oldBox, newBox, `${where} (ssh)`);
      for (const r of [rest, ssh]) if (r.outcome !== 'none') result[r.outcome]++;
      if (rest.outcome === 'reencrypted' || ssh.outcome === 'reencrypted') {
        await replaceEndpoints(q, row.storageId, rest.endpoint, ssh.endpoint);
      }
    }
    result.alertSourceSecrets = await rotateAlertSourceSecrets(q, oldBox, newBox);
    return result;
  });
}

function reseal(e: StoredEndpoint | null, oldBox: SecretBox, newBox: SecretBox, where: string): { endpoint: StoredEndpoint | null; outcome: Outcome } {
  if (!e?.passwordEncrypted) return { endpoint: e, outcome: 'none' };
  if (opens(newBox, e.passwordEncrypted)) return { endpoint: e, outcome: 'alreadyNew' };
  let plain: string;
  try {
    plain = oldBox.decrypt(e.passwordEncrypted);
  } catch {
    throw new Error(`the password of ${where} opens with neither the old key (DELFIN_SECRET_KEY) nor the new one; nothing was changed`);
  }
  return { endpoint: { ...e, passwordEncrypted: newBox.encrypt(plain) }, outcome: 'reencrypted' };
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    box.decrypt(sealed);
    return true;
  } catch {
    return false;
  }
}

