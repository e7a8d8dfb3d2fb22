// Alerts end to end (issue 15): a real `delfin all` takes traps sent by Net-SNMP's own snmptrap
// and snmpinform (v2c and v3 authPriv SHA/AES) on a free UDP port; the simulator's traps are
// parsed field by field, live on alertEvents, cleared by trap and by clearAlert; strangers,
// wrong communities and wrong v3 keys are dropped and counted; deleteStorage takes the source
// and the alerts along; no community or key shows in logs, answers, rows or NATS messages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testEnv } from '../support/env.js';
import { freePort, startDelfin, type DelfinProcess } from '../support/system.js';
import { gql, gqlError, subscribe, type Subscription } from '../support/graphql.js';
import { withDb } from '../support/db.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { DELETE_STORAGE } from '../support/tasks.js';
import { waitForTask } from '../support/wait.js';
import { FAKE_CLEARED as CLEARED, FAKE_RAISED as RAISED, fakeVarbind as vb, freeUdpPort, snmpTools, type SnmpTools } from '../support/snmp.js';

const mark = (label: string) => `${label}${randomBytes(6).toString('hex')}`;
const COMMUNITY = mark('comm');
const OTHER_COMMUNITY = mark('othercomm');
const AUTH_KEY = mark('authkey');
const PRIV_KEY = mark('privkey');
const SECRETS = { COMMUNITY, OTHER_COMMUNITY, AUTH_KEY, PRIV_KEY };
const ENGINE_ID = '8000b98380' + randomBytes(6).toString('hex');
const USER = 'delfin-test';

const ALERT_FIELDS = `id alertId alertName severity category type description location resourceType sequenceNumber
  recoveryAdvice occurredAt receivedAt state clearedAt storage { id }`;
const SET_SOURCE = `mutation Set($id: ID!, $input: AlertSourceInput!) {
  setAlertSource(storageId: $id, input: $input) { host version username authProtocol privacyProtocol engineId }
}`;
const SOURCE_OF = `query Src($id: ID!) { storage(id: $id) { alertSource { host version username authProtocol privacyProtocol engineId } } }`;
const ALERTS = `query Alerts($storageId: ID, $state: [AlertState!], $severity: [AlertSeverity!]) {
  alerts(storageId: $storageId, state: $state, severity: $severity) { totalCount edges { node { ${ALERT_FIELDS} } } }
}`;
const STORAGE_ALERTS = `query SA($id: ID!, $state: [AlertState!]) { storage(id: $id) { alerts(state: $state) { totalCount edges { node { id sequenceNumber state } } } } }`;
const CLEAR = `mutation Clear($id: ID!) { clearAlert(id: $id) { ${ALERT_FIELDS} } }`;
const EVENTS = `subscription { alertEvents { ${ALERT_FIELDS} } }`;


const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const t = testEnv('alerts');
let delfin: DelfinProcess;
let trapPort: number;
let nc: NatsConnection;
let events: Subscription<any>;
let tools: SnmpTools;
const natsMessages: string[] = [];
const answers: string[] = [];
const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

async function call(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const data = await gql(delfin.url, query, variables);
  answers.push(JSON.stringify(data));
  return data;
}

const snmp = (tool: 'snmptrap' | 'snmpinform', args: string[]) => tools.send(tool, args);

const v2c = (community: string, oid: string, varbinds: string[][], extra: string[] = []) =>
  ['-v', '2c', '-c', community, ...extra, `127.0.0.1:${trapPort}`, '', oid, ...varbinds.flat()];
const v3 = (authKey: string, oid: string, varbinds: string[][], { privKey = PRIV_KEY, engineId = ENGINE_ID, bootsTime = [] as string[] } = {}) =>
  [...bootsTime, '-v', '3', '-e', `0x${engineId}`, '-u', USER, '-l', 'authPriv', '-a', 'SHA', '-A', authKey, '-x', 'AES', '-X', privKey, `127.0.0.1:${trapPort}`, '', oid, ...varbinds.flat()];

const simulatorTrap = (seq: string, severity = 'Major') => [
  vb(1, 'FAKE-DISK-FAIL'),
  vb(2, 'Disk failed'),
  vb(3, severity),
  vb(4, 'Fault'),
  vb(5, `disk ${seq} stopped answering`),
  vb(6, 'shelf 1, bay 4'),
  vb(7, seq),
  vb(8, 'Disk'),
];

/** UDP datagrams the kernel dropped for a full receive buffer, machine-wide (/proc/net/snmp). */
function udpReceiveBufferErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp: '));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return Number(values![names!.indexOf('RcvbufErrors')]);
}

async function droppedCounts(): Promise<Record<string, number>> {
  const text = await (await fetch(delfin.url.replace('/graphql', '/metrics'))).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^delfin_traps_dropped_total\{reason="([a-z_0-9]+)"\} (\d+)/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  tools = snmpTools();
  trapPort = await freeUdpPort();
  nc = await connect({ servers: t.env.NATS_URL! });
  const sub = nc.subscribe(`${t.namespace}.>`);
  void (async () => {
    for await (const m of sub) natsMessages.push(`${m.subject} ${m.string()}`);
  })();
  delfin = await startDelfin('all', { ...t.env, DELFIN_TRAP_PORT: String(trapPort), DELFIN_TRAP_HOST: '127.0.0.1' }, 30_000, { logLevel: 'debug' });
  ids.a = (await call(REGISTER, { input: fakeInput('array-a.example') })).registerStorage.id;
  ids.b = (await call(REGISTER, { input: fakeInput('array-b.example') })).registerStorage.id;
  ids.c = (await call(REGISTER, { input: fakeInput('array-c.example') })).registerStorage.id;
  events = subscribe(delfin.url, EVENTS);
});

after(async () => {
  await events?.close();
  await delfin?.stop();
  await nc?.close();
  await t.cleanup();
  tools?.cleanup();
});

test('bad alert source input answers BAD_USER_INPUT naming the field and changes nothing', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ host: '127.0.0.1', version: 'V3', authProtocol: 'SHA', authKey: AUTH_KEY }, 'username'],
    [{ host: '127.0.0.1', version: 'V3', username: USER, authProtocol: 'SHA', authKey: 'short' }, 'authKey'],
    [{ host: '127.0.0.1', version: 'V3', username: USER, authProtocol: 'SHA', authKey: AUTH_KEY, privacyProtocol: 'AES', privacyKey: '1234567' }, 'privacyKey'],
    [{ host: '127.0.0.1', version: 'V3', username: USER, authProtocol: 'SHA', authKey: AUTH_KEY, engineId: '0x80zz' }, 'engineId'],
    [{ host: '127.0.0.1', version: 'V3', username: USER, authProtocol: 'SHA', authKey: AUTH_KEY, engineId: '0x8000' }, 'engineId'],
    [{ host: 'not an address', version: 'V2C', community: COMMUNITY }, 'host'],
    [{ host: '127.0.0.1', version: 'V2C' }, 'community'],
  ];
  for (const [input, field] of cases) {
    const err = await gqlError(delfin.url, SET_SOURCE, { id: ids.a, input });
    assert.equal(err.code, 'BAD_USER_INPUT', JSON.stringify(input));
    assert.match(err.message, new RegExp(field), JSON.stringify(input));
    assert.equal((err.errors[0] as any).extensions.field, field);
  }
  const unknownProtocol = await gqlError(delfin.url, SET_SOURCE, { id: ids.a, input: { host: '127.0.0.1', version: 'V3', username: USER, authProtocol: 'SHA3', authKey: AUTH_KEY } });
  assert.equal(unknownProtocol.code, 'BAD_USER_INPUT');
  assert.match(unknownProtocol.message, /authProtocol/);
  assert.equal((await call(SOURCE_OF, { id: ids.a })).storage.alertSource, null);
});

test('alert sources are set, shown without secrets, and a sender is one storage', async () => {
  const a = await call(SET_SOURCE, { id: ids.a, input: { host: '127.0.0.1', version: 'V2C', community: COMMUNITY } });
  assert.deepEqual(a.setAlertSource, { host: '127.0.0.1', version: 'V2C', username: null, authProtocol: null, privacyProtocol: null, engineId: null });
  // Storage B's traps come from another host: its community is no good from 127.0.0.1.
  await call(SET_SOURCE, { id: ids.b, input: { host: '127.0.0.3', version: 'V2C', community: OTHER_COMMUNITY } });
  const c = await call(SET_SOURCE, {
    id: ids.c,
    input: { host: '127.0.0.1', version: 'V3', username: USER, authProtocol: 'SHA', authKey: AUTH_KEY, privacyProtocol: 'AES', privacyKey: PRIV_KEY, engineId: `0x${ENGINE_ID.toUpperCase()}` },
  });
  assert.deepEqual(c.setAlertSource, { host: '127.0.0.1', version: 'V3', username: USER, authProtocol: 'SHA', privacyProtocol: 'AES', engineId: ENGINE_ID });
  const taken = await gqlError(delfin.url, SET_SOURCE, { id: ids.b, input: { host: '127.0.0.1', version: 'V2C', community: OTHER_COMMUNITY } });
  assert.equal(taken.code, 'CONFLICT');
  const rows = await withDb(t.databaseUrl, async (db) => (await db.query('select * from alert_source')).rows);
  assert.equal(rows.length, 3);
  for (const r of rows) for (const column of ['community_encrypted', 'auth_key_encrypted', 'privacy_key_encrypted']) if (r[column]) assert.match(r[column], /^v1:/);
});

test('a v2c simulator trap is parsed field by field, stored and live on alertEvents', async () => {
  await snmp('snmptrap', v2c(COMMUNITY, RAISED, simulatorTrap('1001')));
  const [event] = (await events.waitFor((e) => e.alertEvents.sequenceNumber === '1001')).filter((e) => e.alertEvents.sequenceNumber === '1001');
  const alert = event!.alertEvents;
  assert.equal(alert.storage.id, ids.a);
  assert.equal(alert.alertId, 'FAKE-DISK-FAIL');
  assert.equal(alert.alertName, 'Disk failed');
  assert.equal(alert.severity, 'MAJOR');
  assert.equal(alert.category, 'FAULT');
  assert.equal(alert.description, 'disk 1001 stopped answering');
  assert.equal(alert.location, 'shelf 1, bay 4');
  assert.equal(alert.resourceType, 'Disk');
  assert.equal(alert.state, 'OPEN');
  assert.equal(alert.clearedAt, null);
  const listed = (await call(ALERTS, { storageId: ids.a, state: ['OPEN'] })).alerts;
  assert.equal(listed.totalCount, 1);
  assert.equal(listed.edges[0].node.id, alert.id);
  assert.equal((await call(STORAGE_ALERTS, { id: ids.a })).storage.alerts.totalCount, 1);
});

test('a v2c inform is answered and stored; the same trap resent is stored once', async () => {
  await snmp('snmpinform', v2c(COMMUNITY, RAISED, simulatorTrap('1002', 'Critical')));
  const alert = await waitFor('the inform', async () => (await call(ALERTS, { storageId: ids.a, severity: ['CRITICAL'] })).alerts.edges[0]?.node);
  assert.equal(alert.sequenceNumber, '1002');
  await snmp('snmptrap', v2c(COMMUNITY, RAISED, simulatorTrap('1002', 'Critical')));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await call(ALERTS, { storageId: ids.a, severity: ['CRITICAL'] })).alerts.totalCount, 1);
});

test('a v3 authPriv (SHA/AES) trap is authenticated with its source and stored', async () => {
  await snmp('snmptrap', v3(AUTH_KEY, RAISED, simulatorTrap('3001', 'Warning')));
  const events3 = await events.waitFor((e) => e.alertEvents.sequenceNumber === '3001');
  const alert = events3.find((e) => e.alertEvents.sequenceNumber === '3001')!.alertEvents;
  assert.equal(alert.storage.id, ids.c);
  assert.equal(alert.severity, 'WARNING');
});

test('two receivers taking the same trap store it once and publish it once', async () => {
  const port2 = await freeUdpPort();
  const metricsPort = await freePort();
  // `delfin alerts receive` alone, serving its own /metrics.
  const second = await startDelfin('alerts', { ...t.env, DELFIN_TRAP_PORT: String(port2), DELFIN_TRAP_HOST: '127.0.0.1', DELFIN_ALERTS_METRICS_PORT: String(metricsPort) }, 30_000, { logLevel: 'debug' });
  try {
    assert.match(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(), /# TYPE delfin_traps_dropped_total counter/);
    assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status, 200);
    const trap = simulatorTrap('5001', 'Minor');
    await Promise.all([
      snmp('snmptrap', v2c(COMMUNITY, RAISED, trap)),
      snmp('snmptrap', ['-v', '2c', '-c', COMMUNITY, `127.0.0.1:${port2}`, '', RAISED, ...trap.flat()]),
    ]);
    await events.waitFor((e) => e.alertEvents.sequenceNumber === '5001');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await call(ALERTS, { storageId: ids.a, severity: ['MINOR'] })).alerts.totalCount, 1);
    assert.equal(events.received.filter((e) => e.alertEvents.sequenceNumber === '5001').length, 1);
    // Both took it: one stored it, the other found it stored.
    assert.match(delfin.output() + second.output(), /alert already stored/);
  } finally {
    await second.stop();
  }
});

test('a trap the driver cannot parse is still stored, NOT_SPECIFIED, with its OID and varbinds', async () => {
  await snmp('snmptrap', v2c(COMMUNITY, '1.3.6.1.4.1.99999.7', [['1.3.6.1.4.1.99999.7.1', 's', 'fan tray hot']]));
  const alert = await waitFor('the unparsed trap', async () => (await call(ALERTS, { storageId: ids.a, severity: ['NOT_SPECIFIED'] })).alerts.edges[0]?.node);
  assert.equal(alert.category, 'NOT_SPECIFIED');
  assert.match(alert.description, /1\.3\.6\.1\.4\.1\.99999\.7/);
  assert.match(alert.description, /1\.3\.6\.1\.4\.1\.99999\.7\.1 = fan tray hot/);
});

test('wrong community, unknown sender and wrong v3 key are dropped and counted', async () => {
  const before = await droppedCounts();
  const stored = (await call(ALERTS, {})).alerts.totalCount;
  await snmp('snmptrap', v2c('not-the-community', RAISED, simulatorTrap('9001')));
  // Storage B's community is good only from B's host.
  await snmp('snmptrap', v2c(OTHER_COMMUNITY, RAISED, simulatorTrap('9002')));
  await snmp('snmptrap', v2c(COMMUNITY, RAISED, simulatorTrap('9003'), ['--clientaddr=127.0.0.2']));
  await snmp('snmptrap', v3(mark('wrongkey'), RAISED, simulatorTrap('9004')));
  await snmp('snmptrap', v3(AUTH_KEY, RAISED, simulatorTrap('9005'), { privKey: mark('wrongpriv') }));
  await snmp('snmptrap', v3(AUTH_KEY, RAISED, simulatorTrap('9006'), { engineId: '8000b98380' + randomBytes(6).toString('hex') }));
  const after = await waitFor('the drops counted', async () => {
    const c = await droppedCounts();
    const grew = (r: string) => (c[r] ?? 0) - (before[r] ?? 0);
    return grew('wrong_community') >= 2 && grew('unknown_sender') >= 1 && grew('v3_auth_failed') >= 2 && grew('unknown_engine_id') >= 1 ? c : undefined;
  });
  assert.equal((after.wrong_community ?? 0) - (before.wrong_community ?? 0), 2);
  assert.equal((after.unknown_sender ?? 0) - (before.unknown_sender ?? 0), 1);
  assert.equal((after.v3_auth_failed ?? 0) - (before.v3_auth_failed ?? 0), 2);
  assert.equal((after.unknown_engine_id ?? 0) - (before.unknown_engine_id ?? 0), 1);
  assert.equal((await call(ALERTS, {})).alerts.totalCount, stored);
  assert.match(delfin.output(), /dropped SNMP traps/);
});

test('a v3 trap older than the time window of what its engine last said is refused (replay)', async () => {
  const before = (await droppedCounts()).v3_not_in_time_window ?? 0;
  await snmp('snmptrap', v3(AUTH_KEY, RAISED, simulatorTrap('tw-1'), { bootsTime: ['-Z', '1000,5000'] }));
  await events.waitFor((e) => e.alertEvents.sequenceNumber === 'tw-1');
  // 1000 seconds before what engine 1000/5000 said a moment ago: a replay.
  await snmp('snmptrap', v3(AUTH_KEY, RAISED, simulatorTrap('tw-old'), { bootsTime: ['-Z', '1000,4000'] }));
  await waitFor('the replay refused', async () => (((await droppedCounts()).v3_not_in_time_window ?? 0) > before ? true : undefined));
  // Within 150 seconds of it: taken.
  await snmp('snmptrap', v3(AUTH_KEY, RAISED, simulatorTrap('tw-2'), { bootsTime: ['-Z', '1000,4900'] }));
  await events.waitFor((e) => e.alertEvents.sequenceNumber === 'tw-2');
  assert.equal(events.received.some((e) => e.alertEvents.sequenceNumber === 'tw-old'), false);
});

test('malformed and mutated datagrams from a known sender are counted and never stop the receiver', async () => {
  // A valid v2c trap as the wire carries it, captured from snmptrap, then mutated (seeded).
  const capture = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => capture.bind(0, '127.0.0.1', resolve));
  const captured = new Promise<Buffer>((resolve) => capture.once('message', (m) => resolve(m)));
  await snmp('snmptrap', ['-v', '2c', '-c', COMMUNITY, `127.0.0.1:${capture.address().port}`, '', RAISED, ...simulatorTrap('fuzz').flat()]);
  const valid = await captured;
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const datagrams = [Buffer.alloc(0), Buffer.from('not snmp at all'), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])];
  for (let i = 0; i < 300; i++) {
    const m = Buffer.from(valid);
    for (let j = 0; j < 1 + Math.floor(random() * 4); j++) m[Math.floor(random() * m.length)] = Math.floor(random() * 256);
    datagrams.push(random() < 0.2 ? m.subarray(0, Math.floor(random() * m.length)) : m);
  }
  for (const d of datagrams) await new Promise<void>((resolve) => capture.send(d, trapPort, '127.0.0.1', () => resolve()));
  capture.close();
  await waitFor('the mutated datagrams counted', async () => ((await droppedCounts()).malformed ?? 0) > 0 ? true : undefined);
  await snmp('snmptrap', v2c(COMMUNITY, RAISED, simulatorTrap('after-fuzz')));
  await events.waitFor((e) => e.alertEvents.sequenceNumber === 'after-fuzz');
  assert.equal(delfin.proc.exitCode, null);
});

test('a burst of 10 000 traps is taken: each stored once or counted, and the receiver goes on', async () => {
  const capture = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => capture.bind(0, '127.0.0.1', resolve));
  const captured = new Promise<Buffer>((resolve) => capture.once('message', (m) => resolve(m)));
  await snmp('snmptrap', ['-v', '2c', '-c', COMMUNITY, `127.0.0.1:${capture.address().port}`, '', RAISED, ...simulatorTrap('burst-00000', 'Informational').flat()]);
  const template = await captured;
  const at = template.lastIndexOf('burst-00000'); // the sequence number (varbind 7)
  const before = await droppedCounts();
  const kernelDropsBefore = udpReceiveBufferErrors();
  const started = Date.now();
  for (let i = 0; i < 10_000; i++) {
    const d = Buffer.from(template);
    d.write(String(i).padStart(5, '0'), at + 6, 'latin1');
    await new Promise<void>((resolve) => capture.send(d, trapPort, '127.0.0.1', () => resolve()));
    // Paced a little: the kernel's receive buffer, not the receiver, would otherwise drop them.
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 5));
  }
  capture.close();
  const count = async () => (await call(ALERTS, { storageId: ids.a, severity: ['INFORMATIONAL'], first: 0 })).alerts.totalCount as number;
  let stored = 0;
  let stable = 0;
  while (stable < 5) {
    await new Promise((r) => setTimeout(r, 400));
    const now = await count();
    stable = now === stored ? stable + 1 : 0;
    stored = now;
  }
  const after = await droppedCounts();
  const full = (after.queue_full ?? 0) - (before.queue_full ?? 0);
  // Counted per socket (/proc/net/udp drops): what the kernel lost for a full receive buffer.
  const bufferFull = (after.receive_buffer_full ?? 0) - (before.receive_buffer_full ?? 0);
  const kernelDrops = udpReceiveBufferErrors() - kernelDropsBefore;
  process.stderr.write(`burst: ${stored} stored, ${full} counted queue_full, ${bufferFull} counted receive_buffer_full (${kernelDrops} machine-wide), in ${Date.now() - started} ms\n`);
  // Nothing is lost uncounted: each trap was stored, refused by the full queue, or lost in the kernel and counted.
  assert.equal(stored + full + bufferFull, 10_000, `${10_000 - stored - full - bufferFull} traps neither stored nor counted`);
  assert.ok(stored >= 1_000, `only ${stored} of 10 000 stored`);
  await snmp('snmptrap', v2c(COMMUNITY, RAISED, simulatorTrap('after-burst')));
  // Stored: the receiver went on (the subscriber may still be catching up with the burst's events).
  await waitFor('the trap after the burst stored', () =>
    withDb(t.databaseUrl, async (db) => ((await db.query(`select 1 from alert where sequence_number = 'after-burst'`)).rowCount ? true : undefined)), 60_000);
});

test('a clear trap clears the alert it names; clearAlert clears by id and keeps clearedAt', async () => {
  await snmp('snmptrap', v2c(COMMUNITY, CLEARED, [vb(1, 'FAKE-DISK-FAIL'), vb(7, '1001')]));
  const cleared = (await events.waitFor((e) => e.alertEvents.sequenceNumber === '1001' && e.alertEvents.state === 'CLEARED'))
    .find((e) => e.alertEvents.sequenceNumber === '1001' && e.alertEvents.state === 'CLEARED')!.alertEvents;
  assert.ok(cleared.clearedAt);
  assert.equal(cleared.severity, 'MAJOR', 'the clear keeps what the raise said');

  const v3alert = (await call(ALERTS, { storageId: ids.c })).alerts.edges[0].node;
  const first = (await call(CLEAR, { id: v3alert.id })).clearAlert;
  assert.equal(first.state, 'CLEARED');
  assert.ok(first.clearedAt);
  await events.waitFor((e) => e.alertEvents.id === v3alert.id && e.alertEvents.state === 'CLEARED');
  const again = (await call(CLEAR, { id: v3alert.id })).clearAlert;
  assert.equal(again.clearedAt, first.clearedAt);
  assert.equal((await call(ALERTS, { storageId: ids.c, state: ['OPEN'] })).alerts.edges.some((e: any) => e.node.id === v3alert.id), false);
  assert.equal((await gqlError(delfin.url, CLEAR, { id: '0190aaaa-0000-7000-8000-000000000000' })).code, 'NOT_FOUND');
});

test('the CLI sets a source with secrets from the environment, lists and clears alerts', async () => {
  // Asynchronous: a blocked event loop would leave the test's pooled HTTP connections stale.
  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await execFileAsync(process.execPath, [BIN, '--url', delfin.url, ...args], { env: { ...t.env, ...env }, encoding: 'utf8', timeout: 30_000 });
    answers.push(r.stdout, r.stderr);
    return r.stdout;
  };
  const set = JSON.parse(await cli(['--json', 'alert-source', 'set', ids.b, '--host', '127.0.0.4', '--snmp-version', 'v2c'], { DELFIN_SNMP_COMMUNITY: OTHER_COMMUNITY }));
  assert.equal(set.host, '127.0.0.4');
  assert.match(await cli(['alert-source', 'get', ids.b]), /host:\s+127\.0\.0\.4/);
  const open = JSON.parse(await cli(['--json', 'alerts', '--storage', ids.a, '--state', 'open']));
  assert.ok(open.totalCount >= 1);
  const target = open.edges[0].node;
  assert.match(await cli(['alerts', 'clear', target.id]), /cleared at/);
  // The singular names of before still answer (hidden aliases).
  const aliasCleared = JSON.parse(await cli(['--json', 'alert', 'list', '--storage', ids.a, '--state', 'cleared']));
  assert.ok(aliasCleared.edges.some((e: any) => e.node.id === target.id));
  assert.equal((await call(ALERTS, { storageId: ids.a, state: ['CLEARED'] })).alerts.edges.some((e: any) => e.node.id === target.id), true);
});

test('removeAlertSource and deleteStorage remove the source and the alerts', async () => {
  assert.equal((await call(`mutation { removeAlertSource(storageId: "${ids.b}") }`)).removeAlertSource, true);
  assert.equal((await call(SOURCE_OF, { id: ids.b })).storage.alertSource, null);
  const task = (await call(DELETE_STORAGE, { id: ids.a })).deleteStorage;
  assert.equal((await waitForTask(delfin.url, task.id)).status, 'SUCCEEDED');
  const left = await withDb(t.databaseUrl, async (db) => ({
    sources: (await db.query('select storage_id from alert_source')).rows.map((r) => r.storage_id),
    alerts: Number((await db.query('select count(*) from alert where storage_id = $1', [ids.a])).rows[0].count),
  }));
  assert.deepEqual(left.sources, [ids.c]);
  assert.equal(left.alerts, 0);
});

test('no community or key in logs, answers, rows or NATS messages', async () => {
  const rows = await withDb(t.databaseUrl, async (db) => JSON.stringify((await db.query('select * from alert_source')).rows) + JSON.stringify((await db.query('select * from alert')).rows));
  const places = { logs: delfin.output(), answers: answers.join('\n'), rows, nats: natsMessages.join('\n'), events: JSON.stringify(events.received) };
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const [where, text] of Object.entries(places)) assert.ok(!text.includes(secret), `${name} found in ${where}`);
  }
  assert.ok(natsMessages.some((m) => m.startsWith(`${t.namespace}.alerts.${ids.c} `)), 'alerts are published on <namespace>.alerts.<storageId>');
});
