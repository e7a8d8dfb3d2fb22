// `delfin secrets rotate`: every stored password re-encrypted under a new key in one
// transaction; running it again changes nothing; a wrong old key changes nothing; the system
// restarted with the new key still reaches its arrays.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { withDb } from '../support/db.js';
import { fakeInput, REGISTER, SYNC } from '../support/operations.js';
import { pollTask } from '../support/tasks.js';
import { SecretBox } from '../../src/db/secrets.js';

const BIN = fileURLToPath(new URL('../../../bin/delfin.js', import.meta.url));
const t = testEnv('rotate');
const OLD = t.env.DELFIN_SECRET_KEY!;
const NEW = randomBytes(32).toString('base64');
const PASSWORDS = ['rest-pass-ONE-1f3a', 'rest-pass-TWO-9c2b', 'ssh-pass-TWO-77aa'];
let delfin: DelfinProcess;
let ids: string[];

before(async () => {
  delfin = await startDelfin('all', t.env);
  const one = { ...fakeInput('10.8.0.1', { volumes: 3 }), rest: { host: '10.8.0.1', port: 8443, username: 'admin', password: PASSWORDS[0] } };
  const two = {
    ...fakeInput('10.8.0.2', { volumes: 3 }),
    rest: { host: '10.8.0.2', port: 8443, username: 'admin', password: PASSWORDS[1] },
    ssh: { host: '10.8.0.2', port: 22, username: 'root', password: PASSWORDS[2] },
  };
  ids = [];
  for (const input of [one, two]) ids.push((await gql(delfin.url, REGISTER, { input })).registerStorage.id);
  await delfin.stop();
});

after(async () => {
  await delfin.stop();
  await t.cleanup();
});

function rotate(env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, 'secrets', 'rotate', '--json'], { env: { ...t.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, result: r.status === 0 ? JSON.parse(r.stdout) : undefined };
}

const sealedPasswords = () =>
  withDb(t.databaseUrl, async (c) => {
    const { rows } = await c.query(`select rest->>'passwordEncrypted' as rest, ssh->>'passwordEncrypted' as ssh from access_info order by storage_id`);
    return rows.flatMap((r) => [r.rest, r.ssh]).filter(Boolean) as string[];
  });

test('rotate re-encrypts every password under the new key; the old key no longer opens them', async () => {
  const before = await sealedPasswords();
  const r = rotate({ DELFIN_NEW_SECRET_KEY: NEW });
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.result, { storages: 2, reencrypted: 3, alreadyNew: 0, alertSourceSecrets: { reencrypted: 0, alreadyNew: 0 } });
  const after = await sealedPasswords();
  assert.equal(after.length, 3);
  const newBox = SecretBox.fromKeyText(NEW);
  assert.deepEqual(after.map((s) => newBox.decrypt(s)).sort(), [...PASSWORDS].sort());
  assert.throws(() => SecretBox.fromKeyText(OLD).decrypt(after[0]!));
  assert.notDeepEqual(after, before);
  for (const p of PASSWORDS) assert.ok(!r.out.includes(p) && !r.err.includes(p));
});

test('running it again, before or after switching DELFIN_SECRET_KEY, changes nothing', async () => {
  const sealed = await sealedPasswords();
  assert.deepEqual(rotate({ DELFIN_NEW_SECRET_KEY: NEW }).result, { storages: 2, reencrypted: 0, alreadyNew: 3, alertSourceSecrets: { reencrypted: 0, alreadyNew: 0 } });
  assert.deepEqual(rotate({ DELFIN_SECRET_KEY: NEW, DELFIN_NEW_SECRET_KEY: NEW }).result, { storages: 2, reencrypted: 0, alreadyNew: 3, alertSourceSecrets: { reencrypted: 0, alreadyNew: 0 } });
  assert.deepEqual(await sealedPasswords(), sealed);
});

test('a wrong old key, or no new key: exit 1 with one line, nothing changed', async () => {
  const sealed = await sealedPasswords();
  const wrong = rotate({ DELFIN_SECRET_KEY: randomBytes(32).toString('base64'), DELFIN_NEW_SECRET_KEY: randomBytes(32).toString('base64') });
  assert.equal(wrong.code, 1);
  assert.match(wrong.err.trim(), /^delfin: the password of storage [0-9a-f-]+ \(rest\) opens with neither the old key \(DELFIN_SECRET_KEY\) nor the new one; nothing was changed$/);
  const none = rotate({});
  assert.equal(none.code, 1);
  assert.match(none.err, /DELFIN_NEW_SECRET_KEY or with --new-key-file/);
  assert.deepEqual(await sealedPasswords(), sealed);
});

test('restarted with the new key, the workers open the passwords and sync', async () => {
  delfin = await startDelfin('all', { ...t.env, DELFIN_SECRET_KEY: NEW });
  for (const id of ids) {
    const { syncStorage } = await gql(delfin.url, SYNC, { id });
    const task = await pollTask(delfin.url, syncStorage.id, (x) => ['SUCCEEDED', 'FAILED'].includes(x.status), 'its end');
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
  }
});
