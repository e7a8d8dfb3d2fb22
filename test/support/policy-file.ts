// Writes a policy file (DELFIN_CONFIG) for a test, e.g. short ack-wait and lease so a killed
// worker's task is taken over within seconds.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export function policyFile(policy: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'delfin-policy-')), 'delfin.yaml');
  writeFileSync(file, stringify(policy));
  return file;
}
