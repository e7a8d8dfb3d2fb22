// Agenda as the scheduler opens and defines it, on a real job store (PostgreSQL): a job kind runs
// its full concurrency at once. Agenda's maxConcurrency (default 20) below the definitions'
// concurrency made its local queue walk every locked job again each time one ended, and at
// 10 000 schedules the scheduler ran a fraction of its due ticks (docs/performance.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv } from '../support/env.js';
import { ensureDatabase } from '../../src/db/database.js';
import { openAgenda, type OpenAgenda } from '../../src/scheduler/agenda.js';
import { defineJob, JOB_CONCURRENCY } from '../../src/scheduler/define-job.js';

const t = testEnv('jobconc');
let opened: OpenAgenda;

before(async () => {
  await ensureDatabase(t.databaseUrl);
  opened = await openAgenda({ kind: 'postgres', url: t.databaseUrl, namespace: t.namespace }, { name: 'conc', processEveryMs: 200, lockLifetimeMs: 10_000 });
});

after(async () => {
  await opened?.agenda.stop().catch(() => undefined);
  await opened?.close();
  await t.cleanup();
});

test('each job kind runs its full concurrency at once, and every due job runs once', async () => {
  const { agenda } = opened;
  const kinds = ['kind-a', 'kind-b', 'kind-c'];
  const jobs = JOB_CONCURRENCY + 20;
  let running = 0;
  let peak = 0;
  const ran = new Map<string, number>();
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  for (const kind of kinds) {
    defineJob(agenda, kind, async (job) => {
      running++;
      peak = Math.max(peak, running);
      await gate;
      running--;
      const id = String(job.attrs._id);
      ran.set(id, (ran.get(id) ?? 0) + 1);
    });
  }
  for (let i = 0; i < jobs; i++) await agenda.now(kinds[0]!, { i });
  await agenda.start();
  const deadline = Date.now() + 20_000;
  while (running < JOB_CONCURRENCY && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(running, JOB_CONCURRENCY, `one kind runs ${JOB_CONCURRENCY} jobs at once (Agenda's maxConcurrency is not below it)`);
  open();
  while (ran.size < jobs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(ran.size, jobs, 'every due job ran');
  assert.ok([...ran.values()].every((n) => n === 1), 'none ran twice');
  assert.equal(peak, JOB_CONCURRENCY);
});

test('one lock query per job name at a time: a second round ends while one is in flight; other names are not held up', async () => {
  const { agenda } = opened;
  // Names with no definition: the running Agenda does not lock them itself.
  for (const name of ['probe-a', 'probe-a', 'probe-b']) await agenda.now(name, {});
  const lock = (name: string) => agenda.db.getNextJobToRun(name, new Date(Date.now() + 1000), new Date(Date.now() - 10_000), undefined, undefined);
  const [first, second, other] = await Promise.all([lock('probe-a'), lock('probe-a'), lock('probe-b')]);
  assert.ok(first, 'the first round locks a due job');
  assert.equal(second, undefined, 'a round started while that query is in flight finds none');
  assert.ok(other, 'another job name is locked at the same time');
  const next = await lock('probe-a');
  assert.ok(next && String(next._id) !== String(first._id), 'the next round locks the other due job');
});
