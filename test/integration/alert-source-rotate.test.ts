// `delfin secrets rotate` re-encrypts alert source communities and keys too (issue 15): after
// the rotation and a restart with the new key, the receiver still authenticates v3 traps.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { withDb } from '../support/db.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { FAKE_RAISED, fakeVarbind, freeUdpPort, snmpTools, type SnmpTools } from '../support/snmp.js';
import { SecretBox } from '../../src/db/secrets.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const t = testEnv('alertrotate');
const NEW = randomBytes(32).toString('base64');
const ENGINE_ID = '8000b98380' + randomBytes(6).toString('hex');
const SET_SOURCE = `mutation Set($id: ID!, $input: AlertSourceInput!) { setAlertSource(storageId: $id, input: $input) { host } }`;
let delfin: DelfinProcess | undefined;
let tools: SnmpTools;
let trapPort: number;
let storageId: string;

before(async () => {
  tools = snmpTools();
  trapPort = await freeUdpPort();
  delfin = await startDelfin('all', { ...t.env, DELFIN_TRAP_PORT: String(trapPort) });
  storageId = (await gql(delfin.url, REGISTER, { input: fakeInput('10.9.0.1') })).registerStorage.id;
  const other = (await gql(delfin.url, REGISTER, { input: fakeInput('10.9.0.2') })).registerStorage.id;
  await gql(delfin.url, SET_SOURCE, {
    id: storageId,
    input: { host: '127.0.0.1', version: 'V3', username: 'rot', authProtocol: 'SHA', authKey: 'auth-key-rot', privacyProtocol: 'AES', privacyKey: 'priv-key-rot', engineId: ENGINE_ID },
  });
  await gql(delfin.url, SET_SOURCE, { id: other, input: { host: '127.0.0.9', version: 'V2C', community: 'community-rot' } });
  await delfin.stop();
  delfin = undefined;
});

after(async () => {
  await delfin?.stop();
  await t.cleanup();
  tools?.cleanup();
});

function rotate(env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, 'secrets', 'rotate', '--json'], { env: { ...t.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('rotate re-encrypts every community and key; again, it changes nothing', async () => {
  assert.deepEqual(rotate({ DELFIN_NEW_SECRET_KEY: NEW }).alertSourceSecrets, { reencrypted: 3, alreadyNew: 0 });
  const sealed = await withDb(t.databaseUrl, async (c) =>
    (await c.query('select community_encrypted, auth_key_encrypted, privacy_key_encrypted from alert_source')).rows.flatMap((r) => Object.values(r)).filter(Boolean) as string[],
  );
  const box = SecretBox.fromKeyText(NEW);
  assert.deepEqual(sealed.map((s) => box.decrypt(s)).sort(), ['auth-key-rot', 'community-rot', 'priv-key-rot']);
  assert.deepEqual(rotate({ DELFIN_SECRET_KEY: NEW, DELFIN_NEW_SECRET_KEY: NEW }).alertSourceSecrets, { reencrypted: 0, alreadyNew: 3 });
});

test('restarted with the new key, the receiver authenticates v3 traps with the rotated keys', async () => {
  delfin = await startDelfin('all', { ...t.env, DELFIN_SECRET_KEY: NEW, DELFIN_TRAP_PORT: String(trapPort) });
  await tools.send('snmptrap', [
    '-v', '3', '-e', `0x${ENGINE_ID}`, '-u', 'rot', '-l', 'authPriv', '-a', 'SHA', '-A', 'auth-key-rot', '-x', 'AES', '-X', 'priv-key-rot',
    `127.0.0.1:${trapPort}`, '', FAKE_RAISED, ...fakeVarbind(7, 'after-rotation'), ...fakeVarbind(3, 'Minor'),
  ]);
  const deadline = Date.now() + 15_000;
  let alerts: any;
  do {
    alerts = (await gql(delfin.url, `query($s: ID) { alerts(storageId: $s) { edges { node { sequenceNumber severity } } } }`, { s: storageId })).alerts;
    if (alerts.edges.length) break;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  assert.deepEqual(alerts.edges.map((e: any) => e.node), [{ sequenceNumber: 'after-rotation', severity: 'MINOR' }]);
});
