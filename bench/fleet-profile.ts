// Where syncAllStorages and its drain spend their time (issue #17), at a size of your choice,
// with the fleet bench's arrays (10 pools, 200 volumes) on real api and worker processes:
//   node dist/bench/fleet-profile.js setup 2000 /tmp/fleet.json   registers once (the env is kept in the file)
//   node dist/bench/fleet-profile.js run 2000 /tmp/fleet.json     one syncAllStorages, timed, and its drain
//   node dist/bench/fleet-profile.js cleanup 0 /tmp/fleet.json    drops the database and stream
// `run` loads bench/stmt-timer.mjs into both processes (NODE_OPTIONS --import; --cpu-prof is not
// allowed there): each statement's count and time, and a CPU profile from SIGUSR2 to SIGUSR2 (the
// api: the mutation; the worker: the drain), in PROF_DIR (/tmp/prof); read one with
// `node bench/profile-top.mjs FILE.cpuprofile`. PROF=0 STMT=0 leaves both out (clean timings).
import pg from 'pg';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { testEnv } from '../test/support/env.js';
import { startDelfin, type DelfinProcess } from '../test/support/system.js';
import { gql } from '../test/support/graphql.js';
import { registerFleet, waitForIdle } from '../test/support/fleet.js';
import { cpuSeconds, machineBusySeconds } from '../bench/process-cpu.js';

const [cmd, nArg, stateFile = '/tmp/fleetprof-env.json'] = process.argv.slice(2);
const ARRAY = { pools: 10, volumes: 200 };

async function main() {
  if (cmd === 'setup') {
    const t = testEnv('fleetprof', { SCHEDULER_BACKEND: 'postgres', LOG_LEVEL: 'warn' });
    writeFileSync(stateFile, JSON.stringify({ env: t.env, namespace: t.namespace, databaseUrl: t.databaseUrl }));
    const api = await startDelfin('api', t.env);
    const worker = await startDelfin('worker', t.env);
    const s0 = Date.now();
    await registerFleet(api.url, Number(nArg), ARRAY, 60, 50);
    await waitForIdle(api.url, 3_600_000);
    console.log(`registered ${nArg} in ${((Date.now() - s0) / 1000).toFixed(1)} s`);
    await worker.stop(); await api.stop();
    return;
  }
  const st = JSON.parse(readFileSync(stateFile, 'utf8'));
  if (cmd === 'cleanup') {
    const { dropDatabase } = await import('../src/db/database.js');
    const { connect } = await import('@nats-io/transport-node');
    const { TaskQueue } = await import('../src/bus/task-queue.js');
    const { busNames } = await import('../src/bus/subjects.js');
    const nc = await connect({ servers: st.env.NATS_URL });
    await TaskQueue.destroy(nc, busNames(st.namespace)); await nc.close();
    await dropDatabase(st.databaseUrl);
    return;
  }
  // run: profiled api and worker, one syncAllStorages, drain
  const dir = process.env.PROF_DIR ?? '/tmp/prof';
  mkdirSync(dir, { recursive: true });
  const timer = process.env.STMT === '0' && process.env.PROF === '0' ? '' : `--import ${new URL('../../bench/stmt-timer.mjs', import.meta.url).pathname}`;
  const api = await startDelfin('api', { ...st.env, NODE_OPTIONS: timer, STMT_OUT: `${dir}/stmt-api` });
  const worker = await startDelfin('worker', { ...st.env, NODE_OPTIONS: timer, STMT_OUT: `${dir}/stmt-worker` });
  const db = new pg.Client({ connectionString: st.databaseUrl });
  await db.connect();
  const pgPids = async () => (await db.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rows.map((r) => r.pid as number);
  const pgCpu = (pids: number[]) => pids.reduce((sum, pid) => { try { return sum + cpuSeconds(pid); } catch { return sum; } }, 0);
  const pids0 = await pgPids();
  const pg0 = pgCpu(pids0);
  // The NATS server's CPU, and the whole machine's busy time (what the other processes took too).
  const natsPid = Number(execSync('pgrep -o -x nats-server').toString().trim());
  const cpu0 = { api: cpuSeconds(api.proc.pid!), worker: cpuSeconds(worker.proc.pid!), nats: cpuSeconds(natsPid), machine: machineBusySeconds() };
  const la = loadavg()[0]!.toFixed(2);
  const sig = (p: DelfinProcess) => process.env.PROF !== '0' && p.proc.kill('SIGUSR2');
  sig(api); sig(worker);
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  const { syncAllStorages: tasks } = await gql(api.url, `mutation { syncAllStorages { id } }`);
  const syncAllMs = Date.now() - t0;
  sig(api);
  const cpuApi = cpuSeconds(api.proc.pid!) - cpu0.api;
  console.log(`syncAllStorages: ${tasks.length} tasks in ${syncAllMs} ms (api cpu ${cpuApi.toFixed(2)} s), load ${la}; pg backends cpu ${(pgCpu(await pgPids()) - pg0).toFixed(2)} s (backends at start ${pids0.length})`);
  if (process.env.DRAIN !== '0') {
    await waitForIdle(api.url, 3_600_000);
    const { rows } = await db.query(`select count(*) filter (where status='SUCCEEDED')::int ok, count(*)::int n, max(finished_at) last from task where id = any($1::uuid[])`, [tasks.map((x: { id: string }) => x.id)]);
    const s = (rows[0].last.getTime() - t0) / 1000;
    console.log(`drain: ${rows[0].ok}/${rows[0].n} SUCCEEDED in ${s.toFixed(1)} s = ${(tasks.length / s).toFixed(1)} tasks/s; worker cpu ${(cpuSeconds(worker.proc.pid!) - cpu0.worker).toFixed(1)} s, api cpu ${(cpuSeconds(api.proc.pid!) - cpu0.api).toFixed(1)} s, pg backends cpu ~${(pgCpu(await pgPids()) - pg0).toFixed(1)} s, nats-server cpu ${(cpuSeconds(natsPid) - cpu0.nats).toFixed(1)} s, whole machine busy ${(machineBusySeconds() - cpu0.machine).toFixed(1)} s; load now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  }
  sig(worker);
  await new Promise((r) => setTimeout(r, 1000));
  await db.end();
  await worker.stop(); await api.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
