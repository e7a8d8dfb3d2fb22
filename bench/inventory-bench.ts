// Benchmark of the inventory export (issue 16): what a Prometheus scrape of /metrics costs an api
// when it reads the inventory and the system's figures from PostgreSQL, at 1 000 storages, each
// with 10 pools, 1 000 volumes (one million in all) and 24 disks, on a real `delfin api` process
// and PostgreSQL. The rows are written straight into the database (a sync of a million volumes
// is the sync suite's business); the api is started on them.
//
// Measured: the scrape's wall time (median and worst of SCRAPES, each past the 1 s cache, so every
// one reads the database), its size in bytes and series, with the default policy (storages and
// pools) and with disks' capacities turned on. Volumes' capacities stay off here: at a million
// volumes they would be three million series, which the policy exists to prevent.
import pg from 'pg';
import { testEnv } from '../test/support/env.js';
import { startDelfin, type DelfinProcess } from '../test/support/system.js';
import { policyFile } from '../test/support/policy-file.js';

const STORAGES = Number(process.env.BENCH_INVENTORY_STORAGES ?? 1000);
const POOLS = 10;
const VOLUMES = 1000;
const DISKS = 24;
const SCRAPES = 10;

export interface ScrapeFigures {
  medianMs: number;
  worstMs: number;
  bytes: number;
  series: number;
}

export interface InventoryBenchResult {
  storages: number;
  pools: number;
  volumes: number;
  disks: number;
  setupSeconds: number;
  defaultPolicy: ScrapeFigures;
  withDisks: ScrapeFigures;
}

async function fill(databaseUrl: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`insert into storage (id, name, vendor, model, serial_number, status, sync_state, total_capacity, used_capacity, free_capacity, last_synced_at)
      select gen_random_uuid(), 'bench-' || s, 'fake_storage', 'fake_driver', 'SN' || s, 'NORMAL', 'SYNCED', 1e15, 4e14, 6e14, now()
      from generate_series(1, $1) s`, [STORAGES]);
    await db.query(`insert into storage_pool (id, storage_id, native_storage_pool_id, name, status, total_capacity, used_capacity, free_capacity)
      select gen_random_uuid(), st.id, 'pool-' || p, 'pool ' || p, 'NORMAL', 1e14, 4e13, 6e13 from storage st, generate_series(1, $1) p`, [POOLS]);
    await db.query(`insert into volume (id, storage_id, native_volume_id, name, status, native_storage_pool_id, total_capacity, used_capacity, free_capacity)
      select gen_random_uuid(), st.id, 'vol-' || v, 'volume ' || v, 'AVAILABLE', 'pool-' || (v % $2 + 1), 1e11, 4e10, 6e10
      from storage st, generate_series(1, $1) v`, [VOLUMES, POOLS]);
    await db.query(`insert into disk (id, storage_id, native_disk_id, name, status, media_type, capacity)
      select gen_random_uuid(), st.id, 'disk-' || d, 'disk ' || d, 'NORMAL', 'SSD', 4e12 from storage st, generate_series(1, $1) d`, [DISKS]);
    await db.query('analyze');
  } finally {
    await db.end();
  }
}

async function measure(api: DelfinProcess): Promise<ScrapeFigures> {
  const times: number[] = [];
  let text = '';
  for (let i = 0; i < SCRAPES; i++) {
    await new Promise((r) => setTimeout(r, 1100)); // past the figures' 1 s cache
    const start = performance.now();
    text = await (await fetch(new URL('/metrics', api.url))).text();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
    worstMs: Math.round(times.at(-1)! * 10) / 10,
    bytes: Buffer.byteLength(text),
    series: text.split('\n').filter((l) => l && !l.startsWith('#')).length,
  };
}

export async function runInventoryBench(log: (line: string) => void): Promise<InventoryBenchResult> {
  const t = testEnv('bench_inventory', { LOG_LEVEL: 'warn' });
  const started: DelfinProcess[] = [];
  try {
    log(`inventory export: ${STORAGES} storages × (${POOLS} pools, ${VOLUMES} volumes, ${DISKS} disks)`);
    const setupStart = performance.now();
    const api = await startDelfin('api', t.env); // migrates the database
    started.push(api);
    await fill(t.databaseUrl);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    log(`  setup (rows written straight to PostgreSQL): ${setupSeconds.toFixed(1)} s`);
    const defaultPolicy = await measure(api);
    log(`  scrape, default policy: median ${defaultPolicy.medianMs} ms, worst ${defaultPolicy.worstMs} ms, ${(defaultPolicy.bytes / 2 ** 20).toFixed(1)} MiB, ${defaultPolicy.series} series`);
    // The same database, an api whose policy exports the disks' capacities too.
    const diskApi = await startDelfin('api', { ...t.env, DELFIN_CONFIG: policyFile({ metrics: { inventory: { disks: true } } }) });
    started.push(diskApi);
    const disks = await measure(diskApi);
    log(`  scrape, disks' capacities on: median ${disks.medianMs} ms, worst ${disks.worstMs} ms, ${(disks.bytes / 2 ** 20).toFixed(1)} MiB, ${disks.series} series`);
    return { storages: STORAGES, pools: STORAGES * POOLS, volumes: STORAGES * VOLUMES, disks: STORAGES * DISKS, setupSeconds, defaultPolicy, withDisks: disks };
  } finally {
    for (const p of started) await p.stop().catch(() => undefined);
    await t.cleanup();
  }
}
