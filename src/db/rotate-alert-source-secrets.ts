// `delfin secrets rotate` for alert sources: their community and keys re-encrypted under the new
// key inside the rotation's transaction. Same rules as passwords: a secret already under the new
// key stays; one that opens with neither key stops the rotation, naming the storage.
import type { SecretBox } from './secrets.js';
import type { TxClient } from './sql.js';

const SEALED_COLUMNS = ['community_encrypted', 'auth_key_encrypted', 'privacy_key_encrypted'] as const;

export async function rotateAlertSourceSecrets(q: TxClient, oldBox: SecretBox, newBox: SecretBox): Promise<{ reencrypted: number; alreadyNew: number }> {
  const { rows } = await q.query(`select storage_id, ${SEALED_COLUMNS.join(', ')} from alert_source order by storage_id for update`);
  const result = { reencrypted: 0, alreadyNew: 0 };
  for (const row of rows) {
    const values: (string | null)[] = [];
    let changed = false;
    for (const column of SEALED_COLUMNS) {
      const sealed = row[column] as string | null;
      if (sealed === null) {
        values.push(null);
      } else if (opens(newBox, sealed)) {
        values.push(sealed);
        result.alreadyNew++;
      } else {
        values.push(newBox.encrypt(openOld(oldBox, sealed, row.storage_id as string)));
        result.reencrypted++;
        changed = true;
      }
    }
    if (changed) {
      await q.query(`update alert_source set ${SEALED_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() where storage_id = $1`, [row.storage_id, ...values]);
    }
  }
  return result;
}

function openOld(oldBox: SecretBox, sealed: string, storageId: string): string {
  try {
    return oldBox.decrypt(sealed);
  } catch {
    throw new Error(`the alert source secrets of storage ${storageId} open with neither the old key (DELFIN_SECRET_KEY) nor the new one; nothing was changed`);
  }
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    box.decrypt(sealed);
    return true;
  } catch {
    return false;
  }
}
