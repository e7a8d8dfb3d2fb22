// Benchmark of the alerts role (issue 15): SNMP traps from the wire to stored and published, with
// one graphql-ws client subscribed to alertEvents, on PostgreSQL and NATS, twice: in a real
// `delfin all` (api + worker + scheduler + alerts in one process, as in development, the hardest
// case: the receiver shares its event loop with the api serving the subscriber), then apart
// (`delfin alerts receive`, `delfin api` and `delfin worker` in processes of their own).
//
// The traps: one v2c simulator trap made by Net-SNMP's snmptrap, captured, then sent again as raw
// UDP datagrams from this process with a new sequence number each (the cheapest sender, so the
// figures are the receiver's). Two runs:
//   - paced (BENCH_ALERTS_RATE traps/s, default 1000, for BENCH_ALERTS_PACED traps): latency from
//     the send to the subscriber's receipt, p50/p99/max;
//   - flood (BENCH_ALERTS_FLOOD traps, default 20 000, sent as fast as this process can): the
//     sustained rate from the wire to stored and published, what was lost and counted
//     (delfin_traps_dropped_total), and the receiving process's peak RSS (bounded queue).
import dgram from 'node:dgram';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { testEnv } from '../test/support/env.js';
import { freePort, startDelfin, type DelfinProcess } from '../test/support/system.js';
import { gql } from '../test/support/graphql.js';
import { fakeInput, REGISTER } from '../test/support/operations.js';
import { FAKE_RAISED, fakeVarbind as vb, freeUdpPort, snmpTools } from '../test/support/snmp.js';
import { peakRssBytes, resetPeakRss } from './process-memory.js';

const PACED = Number(process.env.BENCH_ALERTS_PACED ?? 10_000);
const RATE = Number(process.env.BENCH_ALERTS_RATE ?? 1000);
const FLOOD = Number(process.env.BENCH_ALERTS_FLOOD ?? 20_000);
const COMMUNITY = 'bench-community';
const SEQ_WIDTH = 9; // "p00000001": run letter and 8 digits
const MB = 2 ** 20;

type Spread = { p50: number; p99: number; max: number };

export interface AlertsBenchResult {
  paced: { traps: number; ratePerSecond: number; delivered: number; latencyMs: Spread; toReceiverMs: Spread };
  flood: { traps: number; sendSeconds: number; stored: number; delivered: number; storedPerSecond: number; seconds: number; dropped: Record<string, number>; peakRssMb: number };
  receiveBufferBytes: number | null;
  /** The same with the receiver, the api and a worker in processes of their own. */
  apart?: Omit<AlertsBenchResult, 'apart'>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function droppedCounts(metricsUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^delfin_traps_dropped_total\{reason="([a-z_0-9]+)"\} (\d+)/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

/** One simulator trap as the wire carries it, and where its sequence number sits. */
async function trapTemplate(): Promise<{ bytes: Buffer; at: number }> {
  const tools = snmpTools();
  const capture = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => capture.bind(0, '127.0.0.1', resolve));
  const captured = new Promise<Buffer>((resolve) => capture.once('message', (m) => resolve(m)));
  const marker = 'x'.repeat(SEQ_WIDTH);
  const varbinds = [vb(1, 'BENCH'), vb(2, 'Bench alert'), vb(3, 'Informational'), vb(4, 'Event'), vb(5, 'benchmark trap'), vb(7, marker)];
  await tools.send('snmptrap', ['-v', '2c', '-c', COMMUNITY, `127.0.0.1:${capture.address().port}`, '', FAKE_RAISED, ...varbinds.flat()]);
  const bytes = await captured;
  capture.close();
  tools.cleanup();
  return { bytes, at: bytes.lastIndexOf(marker) };
}

export async function runAlertsBench(log: (line: string) => void): Promise<AlertsBenchResult> {
  const template = await trapTemplate();
  log('delfin all (the receiver shares its event loop with the api):');
  const together = await measureTopology('together', template, log);
  log('');
  log('apart: `delfin alerts receive` and `delfin api` in processes of their own:');
  const apart = await measureTopology('apart', template, log);
  return { ...together, apart };
}

/** The receiving process, the api serving the subscriber, and where the receiver's metrics are. */
interface Topology {
  api: DelfinProcess;
  receiver: DelfinProcess;
  metricsUrl: string;
  stop(): Promise<void>;
}

async function startTopology(kind: 'together' | 'apart', env: NodeJS.ProcessEnv, trapPort: number): Promise<Topology> {
  const trap = { DELFIN_TRAP_PORT: String(trapPort), DELFIN_TRAP_HOST: '127.0.0.1' };
  if (kind === 'together') {
    const all = await startDelfin('all', { ...env, ...trap }, 60_000, { logLevel: 'info' });
    return { api: all, receiver: all, metricsUrl: all.url.replace('/graphql', '/metrics'), stop: async () => void (await all.stop()) };
  }
  const metricsPort = await freePort();
  const api = await startDelfin('api', env, 60_000);
  const worker = await startDelfin('worker', env, 60_000);
  const receiver = await startDelfin('alerts', { ...env, ...trap, DELFIN_ALERTS_METRICS_PORT: String(metricsPort) }, 60_000, { logLevel: 'info' });
  return {
    api,
    receiver,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    stop: async () => void (await Promise.all([receiver.stop(), worker.stop(), api.stop()])),
  };
}

async function measureTopology(kind: 'together' | 'apart', template: { bytes: Buffer; at: number }, log: (line: string) => void): Promise<Omit<AlertsBenchResult, 'apart'>> {
  const t = testEnv(`bench_alerts_${kind}`, { LOG_LEVEL: 'warn' });
  const trapPort = await freeUdpPort();
  const top = await startTopology(kind, t.env, trapPort);
  const db = new pg.Client({ connectionString: t.databaseUrl });
  const sender = dgram.createSocket('udp4');
  const client = createClient({ url: top.api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
  try {
    await db.connect();
    const storageId = (await gql(top.api.url, REGISTER, { input: fakeInput('bench-alerts.example') })).registerStorage.id;
    await gql(top.api.url, `mutation($id: ID!, $input: AlertSourceInput!) { setAlertSource(storageId: $id, input: $input) { host } }`, {
      id: storageId, input: { host: '127.0.0.1', version: 'V2C', community: COMMUNITY },
    });
    const granted = /"receiveBufferBytes":(\d+)/.exec(top.receiver.output())?.[1];
    await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));

    // Arrival time at the subscriber, by sequence number.
    // Wall-clock times (ms), comparable with the alert's receivedAt (taken by the receiver).
    const arrived = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    client.subscribe<{ alertEvents: { sequenceNumber: string; receivedAt: string } }>(
      { query: 'subscription($s: ID) { alertEvents(storageId: $s) { id sequenceNumber severity state occurredAt receivedAt } }', variables: { s: storageId } },
      {
        next: ({ data }) => {
          arrived.set(data!.alertEvents.sequenceNumber, Date.now());
          receivedAt.set(data!.alertEvents.sequenceNumber, Date.parse(data!.alertEvents.receivedAt));
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((r) => setTimeout(r, 500)); // the subscription is in place
    const datagram = (run: string, i: number) => {
      const d = Buffer.from(template.bytes);
      d.write(`${run}${String(i).padStart(SEQ_WIDTH - 1, '0')}`, template.at, 'latin1');
      return d;
    };
    const send = (d: Buffer) => new Promise<void>((resolve) => sender.send(d, trapPort, '127.0.0.1', () => resolve()));

    // Warm-up: a few hundred, so the first figures are not start-up's.
    for (let i = 0; i < 300; i++) await send(datagram('w', i));
    await waitUntil(() => countOf(arrived, 'w') >= 300, 30_000);

    log(`paced: ${PACED} traps at ${RATE}/s, latency from the send to the alertEvents subscriber`);
    const sentAt = new Map<string, number>();
    // Every 10 ms the traps due by then, the process idle in between (a busy-waiting sender
    // would take the CPU the receiver needs on a small machine).
    const start = performance.now();
    for (let i = 0; i < PACED; ) {
      const due = Math.min(PACED, Math.floor(((performance.now() - start) * RATE) / 1000) + 1);
      for (; i < due; i++) {
        const d = datagram('p', i);
        sentAt.set(d.toString('latin1', template.at, template.at + SEQ_WIDTH), Date.now());
        await send(d);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitUntil(() => countOf(arrived, 'p') >= PACED, 30_000).catch(() => undefined);
    const delivered = [...sentAt].filter(([seq]) => arrived.has(seq));
    const spread = (values: number[]) => {
      const sorted = values.sort((a, b) => a - b);
      return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? NaN) };
    };
    const paced = {
      traps: PACED,
      ratePerSecond: RATE,
      delivered: delivered.length,
      latencyMs: spread(delivered.map(([seq, at]) => arrived.get(seq)! - at)),
      toReceiverMs: spread(delivered.map(([seq, at]) => receivedAt.get(seq)! - at)),
    };
    log(`  delivered ${paced.delivered} of ${PACED}; send → subscriber p50 ${paced.latencyMs.p50} ms, p99 ${paced.latencyMs.p99} ms, max ${paced.latencyMs.max} ms`);
    log(`  of which send → taken by the receiver (receivedAt): p50 ${paced.toReceiverMs.p50} ms, p99 ${paced.toReceiverMs.p99} ms`);

    log(`flood: ${FLOOD} traps as fast as one sender goes`);
    const droppedBefore = await droppedCounts(top.metricsUrl);
    resetPeakRss(top.receiver.proc.pid!);
    const floodStart = Date.now();
    for (let i = 0; i < FLOOD; i++) await send(datagram('f', i));
    const sendSeconds = (Date.now() - floodStart) / 1000;
    const storedOf = async () => Number((await db.query(`select count(*) from alert where sequence_number like 'f%'`)).rows[0].count);
    let stored = 0;
    let lastChange = Date.now();
    let lastStoredAt = floodStart;
    while (Date.now() - lastChange < 2000) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await storedOf();
      if (now !== stored) [stored, lastChange, lastStoredAt] = [now, Date.now(), Date.now()];
    }
    await waitUntil(() => countOf(arrived, 'f') >= stored, 10_000).catch(() => undefined);
    const lastArrival = Math.max(lastStoredAt, ...[...arrived].filter(([s]) => s.startsWith('f')).map(([, at]) => at));
    const droppedAfter = await droppedCounts(top.metricsUrl);
    const dropped = Object.fromEntries(Object.entries(droppedAfter).map(([k, v]) => [k, v - (droppedBefore[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
    const seconds = (lastArrival - floodStart) / 1000;
    const flood = {
      traps: FLOOD,
      sendSeconds: round(sendSeconds),
      stored,
      delivered: countOf(arrived, 'f'),
      storedPerSecond: Math.round(stored / seconds),
      seconds: round(seconds),
      dropped,
      peakRssMb: Math.round(peakRssBytes(top.receiver.proc.pid!) / MB),
    };
    log(`  sent in ${flood.sendSeconds} s; ${stored} stored and ${flood.delivered} published to the subscriber in ${flood.seconds} s: ${flood.storedPerSecond} traps/s`);
    log(`  dropped and counted: ${JSON.stringify(dropped)}; peak RSS of the receiving process ${flood.peakRssMb} MB`);
    return { paced, flood, receiveBufferBytes: granted ? Number(granted) : null };
  } finally {
    await client.dispose();
    sender.close();
    await db.end().catch(() => undefined);
    await top.stop();
    await t.cleanup();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

function countOf(arrived: Map<string, number>, run: string): number {
  let n = 0;
  for (const seq of arrived.keys()) if (seq.startsWith(run)) n++;
  return n;
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
