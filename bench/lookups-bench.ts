// Benchmark of volume lookups (issue 16): a page of 100 volumes deep in a storage of one million,
// through a real `delfin api` process and PostgreSQL (the time a client waits for the HTTP
// answer), with no filter, with filters and with indexed orders, each with and without
// totalCount. The million rows go straight into the bench database by generate_series (the
// migration's secondary indexes dropped first and built again after, as a restore would), so
// the set-up takes a minute, not a sync of a million volumes.
//
// "Deep": the page starts at the middle of its list (its cursor is the row there). Target: the
// median of a page without totalCount under 20 ms, whatever the filter or indexed order;
// totalCount counts the matching rows (shown, not a target: a client asks for it knowingly).
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { testEnv } from '../test/support/env.js';
import { startDelfin, type DelfinProcess } from '../test/support/system.js';
import { gql } from '../test/support/graphql.js';
import { encodeCursor, encodeOrderedCursor, type CursorOrder } from '../src/api/services/paging.js';
import { percentile } from '../test/support/fleet.js';
import { cpuSeconds } from './process-cpu.js';
import { pageRequest } from '../src/api/services/paging.js';
import { volumeLookup } from '../src/api/services/volume-lookup.js';
import { volumeRows } from '../src/db/stores/volume-store.js';

const VOLUMES = Number(process.env.BENCH_LOOKUP_VOLUMES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_LOOKUP_RUNS ?? 40);
const PAGE = 100;

interface Case {
  name: string;
  /** The query's variables but the cursor. */
  filter?: Record<string, unknown>;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' };
  /** The SQL ordering of the list and its filter, to find the row in the middle (its cursor). */
  sqlWhere: string;
  sqlOrder?: { column: string; descending: boolean };
  /** Storage.volumes instead of volumes(storageId). */
  nested?: boolean;
}

const CASES: Case[] = [
  { name: 'no filter, by id', sqlWhere: 'true' },
  { name: 'no filter, by name', orderBy: { field: 'NAME', direction: 'ASC' }, sqlWhere: 'true', sqlOrder: { column: 'name', descending: false } },
  { name: 'no filter, by total capacity desc', orderBy: { field: 'TOTAL_CAPACITY', direction: 'DESC' }, sqlWhere: 'true', sqlOrder: { column: 'total_capacity', descending: true } },
  { name: 'no filter, by creation desc', orderBy: { field: 'CREATED_AT', direction: 'DESC' }, sqlWhere: 'true', sqlOrder: { column: 'created_at', descending: true } },
  { name: 'name contains "gold" (10 %), by id', filter: { nameContains: 'GOLD' }, sqlWhere: `name ilike '%gold%'` },
  { name: 'name contains "gold" (10 %), by used capacity', filter: { nameContains: 'gold' }, orderBy: { field: 'USED_CAPACITY', direction: 'ASC' },
    sqlWhere: `name ilike '%gold%'`, sqlOrder: { column: 'used_capacity', descending: false } },
  { name: 'status AVAILABLE (99 %), by name desc', filter: { status: ['AVAILABLE'] }, orderBy: { field: 'NAME', direction: 'DESC' },
    sqlWhere: `status = 'AVAILABLE'`, sqlOrder: { column: 'name', descending: true } },
  { name: 'status ERROR (1 %), by id', filter: { status: ['ERROR'] }, sqlWhere: `status = 'ERROR'` },
  { name: 'pool p-3 (1/8), by id', filter: { nativeStoragePoolId: 'p-3' }, sqlWhere: `native_storage_pool_id = 'p-3'` },
  { name: 'Storage.volumes, by name', nested: true, orderBy: { field: 'NAME', direction: 'ASC' }, sqlWhere: 'true', sqlOrder: { column: 'name', descending: false } },
];

interface Figures { p50: number; p90: number; max: number }

export interface LookupsBenchResult {
  volumes: number;
  page: number;
  runs: number;
  setupSeconds: number;
  /** `{ __typename }` through the same api: what HTTP and GraphQL cost alone. */
  emptyQueryMs: Figures;
  cases: Array<{ name: string; matching: number; withoutTotalCountMs: Figures; withTotalCountMs: Figures; sqlMs: Figures; apiCpuMsPerPage: number }>;
  /** The machine's load average (1 min) at the start and the end: wall times grow with it, CPU times much less. */
  loadAverage: { start: number; end: number };
  lookupsMs: { byWwn: Figures; byNameOfOne: Figures };
  targets: { deepPageUnder20ms: boolean };
}

const QUERY = (count: boolean) => `query($s: ID, $after: String, $filter: VolumeFilter, $orderBy: VolumeOrder) {
  volumes(storageId: $s, first: ${PAGE}, after: $after, filter: $filter, orderBy: $orderBy) { ${count ? 'totalCount ' : ''}edges { cursor node { id name wwn totalCapacity usedCapacity status createdAt } } }
}`;
const NESTED = (count: boolean) => `query($s: ID!, $after: String, $filter: VolumeFilter, $orderBy: VolumeOrder) {
  storage(id: $s) { volumes(first: ${PAGE}, after: $after, filter: $filter, orderBy: $orderBy) { ${count ? 'totalCount ' : ''}edges { cursor node { id name wwn totalCapacity usedCapacity status createdAt } } } }
}`;

export async function runLookupsBench(log: (line: string) => void): Promise<LookupsBenchResult> {
  const t = testEnv('bench_lookups', { LOG_LEVEL: 'warn' });
  let api: DelfinProcess | undefined;
  const db = new pg.Client({ connectionString: t.databaseUrl });
  try {
    api = await startDelfin('api', t.env); // migrates the bench database
    await db.connect();
    log(`lookups: a page of ${PAGE} in the middle of lists of ${VOLUMES.toLocaleString('en')} volumes of one storage, ` +
      `median of ${RUNS} (real api process, PostgreSQL)`);
    const loadStart = loadavg()[0]!;
    const s0 = Date.now();
    const storageId = await fillVolumes(db, VOLUMES);
    const setupSeconds = (Date.now() - s0) / 1000;
    log(`  set-up: ${VOLUMES.toLocaleString('en')} volumes inserted and indexed in ${setupSeconds.toFixed(1)} s`);

    const emptyQueryMs = await measure(() => gql(api!.url, '{ __typename }'), RUNS);
    log(`  an empty query { __typename } (HTTP and GraphQL alone): ${fmt(emptyQueryMs)}`);
    const cases: LookupsBenchResult['cases'] = [];
    for (const c of CASES) {
      const { matching, after } = await middleCursor(db, c);
      const vars = { s: storageId, after, filter: c.filter, orderBy: c.orderBy };
      const time = async (count: boolean) => {
        const query = c.nested ? NESTED(count) : QUERY(count);
        const check = (data: any) => {
          const conn = c.nested ? data.storage.volumes : data.volumes;
          if (conn.edges.length !== Math.min(PAGE, Math.floor(matching / 2))) throw new Error(`${c.name}: ${conn.edges.length} rows`);
          if (count && conn.totalCount !== matching) throw new Error(`${c.name}: totalCount ${conn.totalCount}, ${matching} match`);
        };
        return measure(() => gql(api!.url, query, vars).then(check), count ? Math.ceil(RUNS / 4) : RUNS);
      };
      const cpu0 = cpuSeconds(api.proc.pid!);
      const withoutTotalCountMs = await time(false);
      const apiCpuMsPerPage = ((cpuSeconds(api.proc.pid!) - cpu0) * 1000) / (RUNS + 3);
      const withTotalCountMs = await time(true);
      // The page's statement alone, as the api's store sends it.
      const { where, order, cursorOrder } = volumeLookup(c.filter, c.orderBy as never);
      const page = pageRequest(PAGE, after, cursorOrder);
      const sqlMs = await measure(() => volumeRows.page(db, storageId, { where, order, page }), RUNS);
      cases.push({ name: c.name, matching, withoutTotalCountMs, withTotalCountMs, sqlMs, apiCpuMsPerPage });
      log(`  ${c.name.padEnd(48)} ${String(matching).padStart(8)} match: page ${fmt(withoutTotalCountMs)}; with totalCount ${fmt(withTotalCountMs)}; ` +
        `its SQL ${fmt(sqlMs)}; api CPU ${apiCpuMsPerPage.toFixed(1)} ms a page`);
    }

    const { rows } = await db.query(`select wwn, name from volume order by id offset $1 limit 1`, [Math.floor(VOLUMES / 3)]);
    const one = async (filter: Record<string, unknown>) =>
      measure(async () => {
        const data = await gql(api!.url, QUERY(false), { s: storageId, filter });
        if (data.volumes.edges.length !== 1) throw new Error(`lookup ${JSON.stringify(filter)}: ${data.volumes.edges.length} rows`);
      }, RUNS);
    const lookupsMs = { byWwn: await one({ wwn: rows[0].wwn.toUpperCase() }), byNameOfOne: await one({ nameContains: rows[0].name }) };
    log(`  one volume by WWN (any case): ${fmt(lookupsMs.byWwn)}; by its whole name (name contains): ${fmt(lookupsMs.byNameOfOne)}`);

    const targets = { deepPageUnder20ms: cases.every((c) => c.withoutTotalCountMs.p50 < 20) };
    const loadAverage = { start: loadStart, end: loadavg()[0]! };
    log(`  load average (1 min) ${loadAverage.start.toFixed(1)} at the start, ${loadAverage.end.toFixed(1)} at the end, on ${cpus().length} cores`);
    log(`  target: every deep page (without totalCount) under 20 ms median: ${targets.deepPageUnder20ms ? 'met' : 'MISSED'}`);
    return { volumes: VOLUMES, page: PAGE, runs: RUNS, setupSeconds, emptyQueryMs, cases, lookupsMs, loadAverage, targets };
  } finally {
    await db.end().catch(() => undefined);
    await api?.stop();
    await t.cleanup();
  }
}

/**
 * One storage and `n` volumes: names "vol-NNNNNNN-gold" for one in ten ("-std" otherwise), in an
 * order unlike the ids'; 8 pools; 1 % in ERROR; capacities and creation times with ties.
 */
export async function fillVolumes(db: pg.Client, n: number): Promise<string> {
  const { rows } = await db.query(
    `insert into storage (id, name, vendor, model, serial_number, status, sync_state, total_capacity, used_capacity, free_capacity)
     values (gen_random_uuid(), 'bench-array', 'fake_storage', 'fake_driver', 'BENCH-1M', 'NORMAL', 'SYNCED', 0, 0, 0) returning id`,
  );
  const storageId = rows[0].id as string;
  const { rows: indexes } = await db.query(
    `select indexname, indexdef from pg_indexes i where tablename = 'volume'
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
  );
  for (const i of indexes) await db.query(`drop index ${i.indexname}`);
  await db.query(
    `insert into volume (id, storage_id, native_volume_id, name, status, native_storage_pool_id, wwn, type,
                         total_capacity, used_capacity, free_capacity, created_at)
     select gen_random_uuid(), $1, 'v-' || i, 'vol-' || lpad(((i::bigint * 7919) % $2)::text, 7, '0') || case when i % 10 = 0 then '-gold' else '-std' end,
            case when i % 100 = 0 then 'ERROR' else 'AVAILABLE' end, 'p-' || (i % 8), '600a0b80' || md5(i::text), 'THIN',
            c.total, c.total / 4 * (i % 4), c.total - c.total / 4 * (i % 4), now() - ((i / 50) || ' seconds')::interval
       from generate_series(1, $2) as i, lateral (select ((i % 4096) + 1)::bigint * 1073741824 as total) c`,
    [storageId, n],
  );
  for (const i of indexes) await db.query(i.indexdef);
  await db.query('vacuum analyze volume');
  return storageId;
}

/** How many rows the case's list has, and the cursor of the row in its middle. */
async function middleCursor(db: pg.Client, c: Case): Promise<{ matching: number; after: string }> {
  const matching = (await db.query(`select count(*)::int as n from volume where ${c.sqlWhere}`)).rows[0].n as number;
  const o = c.sqlOrder;
  const dir = o?.descending ? ' desc' : '';
  const orderBy = o ? `${o.column}${dir}, id${dir}` : 'id';
  const key = o ? `, ${o.column}::text as key` : '';
  const { rows } = await db.query(`select id${key} from volume where ${c.sqlWhere} order by ${orderBy} offset $1 limit 1`, [Math.floor(matching / 2) - 1]);
  if (!o) return { matching, after: encodeCursor(rows[0].id) };
  const order: CursorOrder = { name: `${c.orderBy!.field} ${c.orderBy!.direction}`, isKey: () => true };
  return { matching, after: encodeOrderedCursor(order, rows[0].key, rows[0].id) };
}

async function measure(run: () => Promise<unknown>, times: number): Promise<Figures> {
  for (let i = 0; i < 3; i++) await run(); // warm: plans, caches, connections
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p90: percentile(ms, 90), max: ms.at(-1)! };
}

const fmt = (f: Figures) => `p50 ${f.p50.toFixed(1)} ms (p90 ${f.p90.toFixed(1)}, max ${f.max.toFixed(1)})`;
