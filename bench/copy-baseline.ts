// The baseline a sync is measured against: the same volume rows inserted with one COPY into a
// table shaped like `volume` (same columns, indexes and generated columns), on the same database,
// in the same run. The rows' COPY text is made before the clock starts, as a file would be.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copy from 'pg-copy-streams';
import type { DeviceVolume } from '../src/drivers/driver.js';
import { VOLUMES } from '../src/db/stores/resource-table.js';
import { copyText } from '../src/db/stores/resource-writer.js';
import { newId } from '../src/lib/ids.js';
import { cpuSeconds } from './process-cpu.js';

/** Inserts the volumes with one COPY: its wall time and its PostgreSQL backend's CPU time, in ms. */
export async function copyBaseline(databaseUrl: string, storageId: string, pages: Iterable<DeviceVolume[]>): Promise<{ ms: number; backendCpuMs: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('drop table if exists bench_volume_copy');
    await client.query('create table bench_volume_copy (like volume including all)');
    const columns = ['id', 'storage_id', VOLUMES.nativeColumn, ...VOLUMES.columns.map((c) => c.name)];
    const chunks: string[] = [];
    for (const page of pages) {
      chunks.push(page.map((v) => [newId(), storageId, v.nativeVolumeId, ...VOLUMES.columns.map((c) => c.value(v))].map(copyText).join('\t') + '\n').join(''));
    }
    const { rows } = await client.query('select pg_backend_pid() as pid');
    const cpu0 = cpuSeconds(rows[0].pid);
    const started = performance.now();
    await pipeline(Readable.from(chunks), client.query(copy.from(`copy bench_volume_copy (${columns.join(', ')}) from stdin`)));
    const elapsed = performance.now() - started;
    const backendCpuMs = (cpuSeconds(rows[0].pid) - cpu0) * 1000;
    await client.query('drop table bench_volume_copy');
    return { ms: elapsed, backendCpuMs };
  } finally {
    await client.end();
  }
}
