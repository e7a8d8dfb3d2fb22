// Alertmanager export (issue 15): with DELFIN_ALERTMANAGER_URL set, a trap's alert reaches a
// real Prometheus Alertmanager (Debian's prometheus-alertmanager, on loopback) with its labels,
// even when Alertmanager comes up only after the trap (retried); a clear resolves it there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from '../support/env.js';
import { freePort, startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { FAKE_RAISED, fakeVarbind, freeUdpPort, snmpTools, type SnmpTools } from '../support/snmp.js';

const t = testEnv('alertmanager');
let delfin: DelfinProcess;
let am: ChildProcess | undefined;
let amDir: string;
let amUrl: string;
let tools: SnmpTools;
let trapPort: number;
let storageId: string;

async function startAlertmanager(port: number): Promise<void> {
  writeFileSync(join(amDir, 'am.yml'), 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n');
  am = spawn('/usr/bin/prometheus-alertmanager', [
    `--config.file=${join(amDir, 'am.yml')}`, `--storage.path=${amDir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
  ], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await fetch(`${amUrl}/-/ready`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Alertmanager did not become ready');
}

async function amAlerts(): Promise<any[]> {
  return (await fetch(`${amUrl}/api/v2/alerts`)).json() as Promise<any[]>;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  amDir = mkdtempSync(join(tmpdir(), 'delfin-am-'));
  const amPort = await freePort();
  amUrl = `http://127.0.0.1:${amPort}`;
  tools = snmpTools();
  trapPort = await freeUdpPort();
  delfin = await startDelfin('all', { ...t.env, DELFIN_TRAP_PORT: String(trapPort), DELFIN_ALERTMANAGER_URL: amUrl });
  storageId = (await gql(delfin.url, REGISTER, { input: fakeInput('array-am.example') })).registerStorage.id;
  await gql(delfin.url, `mutation($id: ID!) { setAlertSource(storageId: $id, input: { host: "127.0.0.1", version: V2C, community: "am-community" }) { host } }`, { id: storageId });
});

after(async () => {
  await delfin?.stop();
  am?.kill('SIGTERM');
  await t.cleanup();
  tools?.cleanup();
  rmSync(amDir, { recursive: true, force: true });
});

test('an alert raised while Alertmanager is away reaches it once it is up, with its labels; a clear resolves it', async () => {
  const sendTrap = () => tools.send('snmptrap', [
    '-v', '2c', '-c', 'am-community', `127.0.0.1:${trapPort}`, '', FAKE_RAISED,
    ...fakeVarbind(1, 'FAKE-PSU'), ...fakeVarbind(2, 'Power supply lost'), ...fakeVarbind(3, 'Critical'), ...fakeVarbind(4, 'Fault'),
    ...fakeVarbind(5, 'PSU 2 lost input power'), ...fakeVarbind(7, 'am-1'), ...fakeVarbind(8, 'PowerSupply'),
  ]);
  // The receiver loads the new source when told on NATS: until then the trap is a stranger's.
  // Sent again until stored (the same sequence number is stored once).
  await sendTrap();
  const stored = await waitFor('the alert stored', async () => {
    const node = (await gql(delfin.url, `query($s: ID) { alerts(storageId: $s) { edges { node { id } } } }`, { s: storageId })).alerts.edges[0]?.node;
    if (!node) await sendTrap();
    return node;
  });
  await startAlertmanager(Number(new URL(amUrl).port));
  const posted = await waitFor('the alert in Alertmanager', async () => (await amAlerts()).find((a) => a.labels.sequence_number === 'am-1'));
  const storage = (await gql(delfin.url, `query($id: ID!) { storage(id: $id) { name serialNumber } }`, { id: storageId })).storage;
  assert.deepEqual(posted.labels, {
    alertname: 'Power supply lost',
    severity: 'critical',
    storage_id: storageId,
    storage_name: storage.name,
    serial_number: storage.serialNumber,
    resource_type: 'PowerSupply',
    sequence_number: 'am-1',
  });
  assert.equal(posted.annotations.description, 'PSU 2 lost input power');
  assert.equal(posted.status.state, 'active');

  await gql(delfin.url, `mutation($id: ID!) { clearAlert(id: $id) { state } }`, { id: stored.id });
  await waitFor('the alert resolved in Alertmanager', async () => ((await amAlerts()).some((a) => a.labels.sequence_number === 'am-1') ? undefined : true));
});
