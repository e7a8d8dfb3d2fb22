// Driver packages written on disk for a test, as a driver author would publish them: a folder
// with package.json and index.js that imports only from `delfin-ts/driver` (node_modules/delfin-ts
// is a link to this repository, as `npm install delfin-ts` would make it).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface PackageDir {
  /** The folder to name in NODE_PATH: it holds the packages and delfin-ts. */
  nodeModules: string;
  /** Writes package `name` (package.json + index.js) and returns its folder. */
  write(name: string, indexJs: string): string;
  remove(): void;
}

export function packageDir(): PackageDir {
  const root = mkdtempSync(join(tmpdir(), 'delfin-plugins-'));
  const nodeModules = join(root, 'node_modules');
  mkdirSync(nodeModules);
  symlinkSync(REPO, join(nodeModules, 'delfin-ts'), 'dir');
  return {
    nodeModules,
    write(name, indexJs) {
      const dir = join(nodeModules, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: './index.js' }, null, 2));
      writeFileSync(join(dir, 'index.js'), indexJs);
      return dir;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A small, well-behaved driver: acme/a1, two pools, five volumes in two pages, one metric. */
export const ACME_DRIVER = `
import { DriverError } from 'delfin-ts/driver';

const GiB = 1024n ** 3n;
const pool = (id, total, used) => ({ nativeStoragePoolId: id, name: 'pool ' + id, status: 'NORMAL', storageType: 'BLOCK',
  totalCapacity: total * GiB, usedCapacity: used * GiB, freeCapacity: (total - used) * GiB });
const volume = (id, poolId) => ({ nativeVolumeId: id, name: 'volume ' + id, status: 'AVAILABLE', type: 'THIN',
  nativeStoragePoolId: poolId, totalCapacity: 10n * GiB, usedCapacity: 4n * GiB, freeCapacity: 6n * GiB });

class AcmeArray {
  constructor(access) { this.host = access.rest.host; }
  async getStorage() {
    return { name: 'acme at ' + this.host, vendor: 'acme', model: 'a1', serialNumber: 'ACME-' + this.host, status: 'NORMAL',
      totalCapacity: 300n * GiB, usedCapacity: 120n * GiB, freeCapacity: 180n * GiB };
  }
  async listPools() { return [pool('p1', 100n, 40n), pool('p2', 200n, 80n)]; }
  async *listVolumes() {
    yield { items: [volume('v1', 'p1'), volume('v2', 'p1'), volume('v3', 'p2')], total: 5 };
    yield { items: [volume('v4', 'p2'), volume('v5', null)], total: 5 };
  }
  async collectPerfMetrics(resourceType, metrics, window) {
    const t = window.end.getTime() - 60_000;
    return metrics.map((metric) => ({ resourceType, resourceId: 'ACME-' + this.host, metric, unit: 'IOPS', timestamps: [t], values: [42] }));
  }
  async capabilities() { return { metrics: { STORAGE: [{ name: 'iops', unit: 'IOPS' }] } }; }
  async close() {}
}

export default {
  vendor: 'acme',
  model: 'a1',
  description: 'Acme A1 arrays (a test plugin)',
  accessTypes: ['REST'],
  create(access) {
    if (!access.rest) throw new DriverError('acme a1 needs REST access info');
    return new AcmeArray(access);
  },
};
`;

/** Breaks every rule the kit checks: duplicate ids, used > total, a missing pool, unstable paging, a slow call. */
export const BAD_DRIVER = `
const GiB = 1024n ** 3n;
let listings = 0;
const volume = (id, poolId) => ({ nativeVolumeId: id, name: id, status: 'AVAILABLE', nativeStoragePoolId: poolId,
  totalCapacity: GiB, usedCapacity: 0n, freeCapacity: GiB });

export default {
  vendor: 'bad',
  model: 'b1',
  create: () => ({
    async getStorage() {
      return { name: 'bad', vendor: 'bad', model: 'b1', serialNumber: 'BAD-1', status: 'NORMAL', totalCapacity: 10n * GiB, usedCapacity: GiB, freeCapacity: 9n * GiB };
    },
    async listPools() {
      return [
        { nativeStoragePoolId: 'p1', name: 'p1', status: 'NORMAL', totalCapacity: GiB, usedCapacity: 2n * GiB, freeCapacity: 0n },
        { nativeStoragePoolId: 'p1', name: 'p1 again', status: 'NORMAL', totalCapacity: GiB, usedCapacity: 0n, freeCapacity: GiB },
      ];
    },
    async *listVolumes() {
      listings++;
      yield { items: listings === 1 ? [volume('v1', 'p1'), volume('v2', 'p1')] : [volume('v2', 'p1'), volume('v1', 'p1')], total: 3 };
      yield { items: [volume('v3', 'ghost-pool')], total: 3 };
    },
    async collectPerfMetrics() { return []; },
    async capabilities() {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return { metrics: {} };
    },
    async close() {},
  }),
};
`;

/**
 * Answers whatever a scenario file says (its path in extraAttributes.scenario), read afresh at
 * every call: JSON where {"$bigint": "n"} is a bigint and {"$number": "NaN"} a number JSON
 * cannot write. The driver-output fuzz writes malformed, huge, duplicate and contradictory
 * answers there (encodeScenario writes that JSON).
 */
export const FUZZY_DRIVER = `
import { readFileSync } from 'node:fs';
import { DriverError } from 'delfin-ts/driver';

const revive = (_key, v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? ('$bigint' in v ? BigInt(v.$bigint) : '$number' in v ? Number(v.$number) : v) : v;

class FuzzyArray {
  constructor(path) { this.path = path; }
  read() { return JSON.parse(readFileSync(this.path, 'utf8'), revive); }
  async getStorage() { return this.read().storage; }
  async listPools() { return this.read().pools; }
  async *listVolumes() { yield* this.read().volumePages; }
  async *listDisks() { yield* this.read().diskPages; }
  async *listControllers() { yield* this.read().controllerPages; }
  async *listPorts() { yield* this.read().portPages; }
  async collectPerfMetrics() { return []; }
  async capabilities() { return { metrics: {} }; }
  async close() {}
}

export default {
  vendor: 'fuzzy',
  model: 'f1',
  resources: ['STORAGE', 'STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT'],
  create(access) {
    const path = access.extraAttributes?.scenario;
    if (typeof path !== 'string') throw new DriverError('fuzzy f1 needs extraAttributes.scenario');
    return new FuzzyArray(path);
  },
};
`;

/** The scenario as FUZZY_DRIVER reads it: bigints and non-finite numbers tagged. */
export function encodeScenario(scenario: unknown): string {
  return JSON.stringify(scenario, (_key, v) =>
    typeof v === 'bigint' ? { $bigint: String(v) } : typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v,
  );
}
