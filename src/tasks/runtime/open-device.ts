// Opens the driver of a registered storage: its vendor/model chooses the driver, its stored
// access info is decrypted only here, in the worker's memory, for the driver.
import type { AccessInfo as DriverAccess, StorageDriver } from '../../drivers/driver.js';
import { DriverError } from '../../drivers/driver-error.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import { withTimeouts } from '../../drivers/timeouts.js';
import type { CounterBuffer } from '../../db/counter-buffer.js';
import { countedDriver } from '../../exporters/driver-call-counts.js';
import type { StoredEndpoint } from '../../db/entities/index.js';
import type { SecretBox } from '../../db/secrets.js';
import type { Sql } from '../../db/sql.js';
import { getDeviceAccess } from '../../db/stores/access-info-store.js';

export interface DeviceOpener {
  open(storageId: string): Promise<StorageDriver>;
}

export function decryptAccess(
  box: SecretBox,
  row: { rest?: StoredEndpoint | null; ssh?: StoredEndpoint | null; extraAttributes?: Record<string, unknown> | null },
): DriverAccess {
  const reveal = (e: StoredEndpoint) => (e.passwordEncrypted ? box.decrypt(e.passwordEncrypted) : null);
  return {
    rest: row.rest
      ? {
          host: row.rest.host,
          port: row.rest.port,
          username: row.rest.username,
          password: reveal(row.rest) ?? '',
          caCertificate: row.rest.caCertificate ?? null,
          certificateFingerprint: row.rest.certificateFingerprint ?? null,
          verifyTls: row.rest.verifyTls !== false,
        }
      : null,
    ssh: row.ssh
      ? { host: row.ssh.host, port: row.ssh.port, username: row.ssh.username, password: reveal(row.ssh), pubKey: row.ssh.pubKey ?? null }
      : null,
    extraAttributes: row.extraAttributes ?? null,
  };
}

/** `counters`: where the driver's calls are counted (delfin_driver_call_*), when given. */
export function deviceOpener(sql: Sql, box: SecretBox, registry: DriverRegistry, timeoutMs: number, counters?: CounterBuffer): DeviceOpener {
  return {
    async open(storageId) {
      const r = await getDeviceAccess(sql.q, storageId);
      if (!r) throw new DriverError('the storage or its access info no longer exists');
      const descriptor = registry.find(r.vendor, r.model);
      if (!descriptor) throw new DriverError(`no driver is installed for vendor ${r.vendor} model ${r.model}`);
      const access = decryptAccess(box, r);
      return countedDriver(withTimeouts(descriptor.create(access), timeoutMs), counters, r.vendor, r.model);
    },
  };
}
