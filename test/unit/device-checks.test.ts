// What a sync accepts from a driver: each kind's shape, and a seeded fuzz of malformed
// resources (whatever passes the checks can be written to PostgreSQL as it is).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTROLLER_SHAPE, DISK_SHAPE, POOL_SHAPE, PORT_SHAPE, STORAGE_SHAPE, VOLUME_SHAPE, listProblem, pageProblem, resourceProblem, type DeviceShape,
} from '../../src/tasks/kinds/sync/device-checks.js';
import { MAX_BYTES } from '../../src/tasks/kinds/sync/device-fields.js';
import { fuzzCases, fuzzSeed, prng, replay, type Rng } from '../support/fuzz-seed.js';

const GiB = 1024n ** 3n;
const volume = (id: string) => ({
  nativeVolumeId: id, name: `volume ${id}`, status: 'AVAILABLE', type: 'THIN', nativeStoragePoolId: 'p1',
  totalCapacity: 10n * GiB, usedCapacity: 4n * GiB, freeCapacity: 6n * GiB, compressed: null,
});
const VALID: Array<[DeviceShape, Record<string, unknown>]> = [
  [STORAGE_SHAPE, { name: 'a', vendor: 'v', model: 'm', serialNumber: 's', status: 'NORMAL', totalCapacity: 0n, usedCapacity: 0n, freeCapacity: 0n }],
  [POOL_SHAPE, { nativeStoragePoolId: 'p1', name: 'p', status: 'DEGRADED', storageType: 'BLOCK', totalCapacity: GiB, usedCapacity: 0n, freeCapacity: GiB }],
  [VOLUME_SHAPE, volume('v1')],
  [DISK_SHAPE, { nativeDiskId: 'd1', name: 'd', status: 'NORMAL', mediaType: 'SSD', capacity: MAX_BYTES, speedGbps: 12 }],
  [CONTROLLER_SHAPE, { nativeControllerId: 'c1', name: 'c', status: 'OFFLINE', memoryBytes: null }],
  [PORT_SHAPE, { nativePortId: 'e1', name: 'e', type: 'FC', connectionStatus: 'CONNECTED', healthStatus: 'NORMAL', nativeControllerId: 'c1' }],
];

describe('the shapes of what a driver returns', () => {
  test('well-formed resources pass, odd but well-formed ones too (used above total, a pool not listed)', () => {
    for (const [shape, item] of VALID) assert.equal(resourceProblem(shape, item), undefined, shape.noun);
    assert.equal(resourceProblem(VOLUME_SHAPE, { ...volume('v2'), usedCapacity: 20n * GiB, nativeStoragePoolId: 'ghost' }), undefined);
    assert.equal(resourceProblem(VOLUME_SHAPE, { ...volume('tab\there\nand\\back'), name: '' }), undefined);
  });

  test('each problem names the resource, its field and what was given', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...volume('v1'), totalCapacity: -1n }, /^volume "v1": totalCapacity must be a bigint number of bytes from 0 to 2\^63-1 \(got -1n\)$/],
      [{ ...volume('v1'), usedCapacity: 2n ** 63n }, /usedCapacity .* \(got 9223372036854775808n\)$/],
      [{ ...volume('v1'), freeCapacity: 1.5 }, /freeCapacity .* \(got 1\.5\)$/],
      [{ ...volume('v1'), freeCapacity: NaN }, /freeCapacity .* \(got NaN\)$/],
      [{ ...volume('v1'), totalCapacity: '10' }, /totalCapacity .* \(got "10"\)$/],
      [{ ...volume('v1'), name: undefined }, /^volume "v1": name must be a string \(got undefined\)$/],
      [{ ...volume('v1'), name: 'a\u0000b' }, /^volume "v1": name must not contain a NUL character \(got "a\\u0000b"\)$/],
      [{ ...volume('v1'), name: 'x'.repeat(1 << 20) }, /^volume "v1": name must be at most 4096 characters \(got 1048576\) \(got a string of 1048576 characters\)$/],
      [{ ...volume('v1'), status: 'WEIRD' }, /^volume "v1": status must be one of AVAILABLE, ERROR \(got "WEIRD"\)$/],
      [{ ...volume('v1'), compressed: 'yes' }, /compressed must be true, false or null/],
      [{ ...volume('v1'), wwn: 'a\uD800' }, /wwn must be well-formed Unicode/],
      [{ ...volume(''), name: 'n' }, /^volume: nativeVolumeId must be a non-empty string \(got ""\)$/],
      [{ ...volume('v1'), nativeVolumeId: 7 }, /nativeVolumeId must be a non-empty string \(got 7\)/],
      [null, /^a volume must be an object \(got null\)$/],
      [[1], /^a volume must be an object \(got a list\)$/],
    ];
    for (const [item, expected] of cases) assert.match(resourceProblem(VOLUME_SHAPE, item) ?? 'passed', expected);
    assert.match(resourceProblem(PORT_SHAPE, { ...VALID[5]![1], speedGbps: Infinity }) ?? '', /^port "e1": speedGbps must be a finite number/);
  });

  test('a page must be an object with a list of items and, if any, a whole total', () => {
    assert.equal(pageProblem(VOLUME_SHAPE, { items: [volume('a')], total: 1 }), undefined);
    assert.equal(pageProblem(VOLUME_SHAPE, { items: [] }), undefined);
    assert.match(pageProblem(VOLUME_SHAPE, null) ?? '', /^a page of volumes must be an object with an "items" list \(got null\)$/);
    assert.match(pageProblem(VOLUME_SHAPE, [volume('a')]) ?? '', /must be an object with an "items" list \(got a list\)/);
    assert.match(pageProblem(VOLUME_SHAPE, { items: 'x' }) ?? '', /"items" list/);
    assert.match(pageProblem(VOLUME_SHAPE, { items: [], total: -1 }) ?? '', /total must be a whole number, not negative \(got -1\)/);
    assert.match(pageProblem(VOLUME_SHAPE, { items: [volume('a'), 3] }) ?? '', /a volume must be an object \(got 3\)/);
    assert.match(listProblem(POOL_SHAPE, { p1: {} }) ?? '', /^the pools must be a list \(got an object\)$/);
  });
});

/** Values a careless or broken driver returns in place of any field. */
const GARBAGE: unknown[] = [
  undefined, null, '', 'x', 'NORMAL', 0, -1, 1.5, NaN, Infinity, -0, 2 ** 64, -1n, 0n, 2n ** 63n, 2n ** 63n - 1n, true, false,
  {}, [], ['a'], { items: [] }, 'a\u0000', '\uDC00', 'x'.repeat(5000), 'é\t\n\\', Symbol('s'), () => 1,
];

function mutate(rng: Rng, item: Record<string, unknown>, shape: DeviceShape): Record<string, unknown> {
  const out = { ...item };
  const fields = Object.keys(shape.fields);
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const field = rng.chance(0.1) ? `unknown${rng.int(3)}` : rng.pick(fields);
    if (rng.chance(0.2)) delete out[field];
    else out[field] = rng.pick(GARBAGE);
  }
  return out;
}

/** What PostgreSQL takes as it is: the property the checks must guarantee. */
function storable(shape: DeviceShape, item: Record<string, unknown>): boolean {
  return Object.keys(shape.fields).every((f) => {
    const v = item[f];
    if (v === undefined || v === null) return true;
    if (typeof v === 'string') return !v.includes('\u0000') && v.length <= 4096 && !/[\uD800-\uDFFF]/.test(v.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
    if (typeof v === 'bigint') return v >= 0n && v <= MAX_BYTES;
    if (typeof v === 'boolean') return true;
    return typeof v === 'number' && Number.isFinite(v) && v >= 0;
  });
}

test('fuzz: a mutated resource either fails its check with a one-line reason or is storable as it is', () => {
  const seed = fuzzSeed(20261201);
  const rng = prng(seed);
  for (let i = 0; i < fuzzCases(3000); i++) {
    const [shape, valid] = rng.pick(VALID);
    const item = mutate(rng, valid, shape);
    let problem: string | undefined;
    assert.doesNotThrow(() => (problem = resourceProblem(shape, item)), replay(seed, i));
    if (problem === undefined) assert.ok(storable(shape, item), `${replay(seed, i)}: passed but not storable: ${shape.noun}`);
    else {
      assert.ok(!problem.includes('\n') && problem.length < 400, `${replay(seed, i)}: ${problem}`);
      assert.ok(problem.startsWith(shape.noun), `${replay(seed, i)}: ${problem}`);
    }
  }
});
