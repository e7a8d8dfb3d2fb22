// The load that never stops: churned syncs (each storage moved to the simulator's next revision,
// then synced), sync-alls, cancels, deletes and registrations, read queries, and SNMP traps to
// the alerts receiver; periodic schedules and performance polling at the minimum interval on a
// share of the storages. Every task an answer accepted is tracked for the checks.
import { gql, GraphQLRequestError } from '../test/support/graphql.js';
import { fakeInput, REGISTER, SYNC, TASKS, UPDATE_ACCESS } from '../test/support/operations.js';
import { CANCEL_TASK, DELETE_STORAGE, SYNC_ALL } from '../test/support/tasks.js';
import { SET_SCHEDULE } from '../test/support/scheduler-suite.js';
import { polling, UPDATE_METRICS_CONFIG } from '../test/support/metrics.js';
import { FAKE_RAISED, fakeVarbind, snmpTools, type SnmpTools } from '../test/support/snmp.js';
import type { Rng } from '../test/support/prng.js';
import { MIN_INTERVAL_SECONDS, type SoakSystem } from './system.js';
import { sleep } from './role-process.js';

export type DriverFault = 'hang' | 'slow';

export interface SoakStorage {
  id: string;
  host: string;
  seed: number;
  revision: number;
  fault?: DriverFault;
  deleted: boolean;
  scheduled: boolean;
}

export interface AcceptedTask {
  id: string;
  at: number;
  kind: string;
}

/** What the simulator is told: small arrays, a few pages each; a fault makes it hang or crawl. */
export function storageAttributes(s: Pick<SoakStorage, 'seed' | 'revision' | 'fault'>): Record<string, unknown> {
  return {
    pools: 2,
    volumes: 300,
    pageSize: 100,
    latencyMs: s.fault === 'slow' ? 400 : 5,
    seed: s.seed,
    revision: s.revision,
    ...(s.fault === 'hang' ? { hangAt: 'volumes' } : {}),
  };
}

const TRAP_COMMUNITY = 'soak-community';
const SET_SOURCE = `mutation Set($id: ID!, $input: AlertSourceInput!) { setAlertSource(storageId: $id, input: $input) { host } }`;

export class Load {
  readonly storages: SoakStorage[] = [];
  readonly accepted = new Map<string, AcceptedTask>();
  /** Answers by outcome: 'ok', an error code, or 'unreachable' (the api was being killed). */
  readonly answers: Record<string, number> = {};
  readonly internalErrors: Array<{ at: number; what: string }> = [];
  trapsSent = 0;
  /** The code of the last failed call ('ok' after a success). */
  lastCode = 'ok';
  private running = false;
  private loops: Promise<void>[] = [];
  private lastSyncAll = 0;
  private nextSeed = 0;
  private tools?: SnmpTools;
  /** Called with each accepted task (subscribers follow some). */
  onAccepted: (t: AcceptedTask, url: string) => void = () => undefined;

  constructor(
    private readonly system: SoakSystem,
    private readonly rng: Rng,
    private readonly clock: () => number,
  ) {}

  private url(): string {
    return this.system.apiUrl((n) => this.rng.int(n));
  }

  /** One operation; errors are counted by code, never thrown (a fault makes many fail). */
  async call<T = any>(query: string, variables: Record<string, unknown>): Promise<T | undefined> {
    const url = this.url();
    try {
      const data = await gql<T>(url, query, variables);
      this.answers.ok = (this.answers.ok ?? 0) + 1;
      this.lastCode = 'ok';
      return data;
    } catch (err) {
      const code = err instanceof GraphQLRequestError ? (err.code ?? 'NO_CODE') : 'unreachable';
      this.answers[code] = (this.answers[code] ?? 0) + 1;
      this.lastCode = code;
      if (code === 'INTERNAL_SERVER_ERROR' || code === 'NO_CODE') {
        this.internalErrors.push({ at: this.clock(), what: `${(err as Error).message} <- ${query.slice(0, 60)}` });
      }
      return undefined;
    }
  }

  private accept(task: { id: string; kind: string } | undefined): void {
    if (!task || this.accepted.has(task.id)) return;
    const t = { id: task.id, kind: task.kind, at: this.clock() };
    this.accepted.set(task.id, t);
    this.onAccepted(t, this.url());
  }

  live(): SoakStorage[] {
    return this.storages.filter((s) => !s.deleted);
  }

  async register(): Promise<SoakStorage | undefined> {
    const seed = this.nextSeed++;
    const s: SoakStorage = { id: '', host: `10.${200 + Math.floor(seed / 250)}.${seed % 250}.1`, seed, revision: 0, deleted: false, scheduled: false };
    const data = await this.call(REGISTER, { input: fakeInput(s.host, storageAttributes(s), `soak-${seed}`) });
    if (!data) return undefined;
    s.id = data.registerStorage.id;
    this.storages.push(s);
    const { tasks } = (await this.call(TASKS, { storageId: s.id })) ?? { tasks: { edges: [] } };
    for (const e of tasks.edges) this.accept(e.node);
    // One storage in 20 syncs on a schedule at the minimum interval; another one in 20 is polled.
    if (seed % 20 === 0) s.scheduled = !!(await this.call(SET_SCHEDULE, { id: s.id, schedule: { enabled: true, intervalSeconds: MIN_INTERVAL_SECONDS } }));
    if (seed % 20 === 10) await this.call(UPDATE_METRICS_CONFIG, { storageId: s.id, input: { arrayPolling: polling(true, MIN_INTERVAL_SECONDS) } });
    return s;
  }

  async registerFleet(count: number): Promise<void> {
    for (let i = 0; i < count; i += 10) await Promise.all(Array.from({ length: Math.min(10, count - i) }, () => this.register()));
    const alertSource = this.live()[0];
    if (alertSource) await this.call(SET_SOURCE, { id: alertSource.id, input: { host: '127.0.0.1', version: 'V2C', community: TRAP_COMMUNITY } });
  }

  /** Sets or clears a driver fault of a storage (its access info's extraAttributes). */
  async setFault(s: SoakStorage, fault: DriverFault | undefined): Promise<void> {
    s.fault = fault;
    await this.call(UPDATE_ACCESS, { id: s.id, input: { extraAttributes: storageAttributes(s) } });
  }

  /**
   * Every live storage's access info written again as the load last meant it, faults cleared
   * (an update lost to a killed api is made good), each tried until an api takes it.
   */
  async settle(): Promise<void> {
    for (const s of this.live()) {
      s.fault = undefined;
      for (let i = 0; i < 30; i++) {
        const done = await this.call(UPDATE_ACCESS, { id: s.id, input: { extraAttributes: storageAttributes(s) } });
        if (done) break;
        if (this.lastCode === 'NOT_FOUND') {
          s.deleted = true; // its delete went through, though the answer was lost with a killed api
          break;
        }
        await sleep(1000);
      }
    }
  }

  pickLive(n: number): SoakStorage | undefined {
    const live = this.live();
    return live.length ? live[n % live.length] : undefined;
  }

  private async churnAndSync(): Promise<void> {
    const s = this.rng.pick(this.live());
    s.revision++;
    await this.call(UPDATE_ACCESS, { id: s.id, input: { extraAttributes: storageAttributes(s) } });
    this.accept((await this.call(SYNC, { id: s.id, options: { priority: this.rng.pick(['LOW', 'NORMAL', 'HIGH']) } }))?.syncStorage);
  }

  private async syncAll(): Promise<void> {
    if (this.clock() - this.lastSyncAll < 60) return;
    this.lastSyncAll = this.clock();
    for (const t of (await this.call(SYNC_ALL, {}))?.syncAllStorages ?? []) this.accept(t);
  }

  private async cancel(): Promise<void> {
    const recent = [...this.accepted.values()].slice(-20);
    if (recent.length) await this.call(CANCEL_TASK, { id: this.rng.pick(recent).id });
  }

  private async deleteOne(target: number): Promise<void> {
    const live = this.live().filter((s) => !s.scheduled && !s.fault);
    if (this.live().length <= target * 0.9 || live.length === 0) return;
    const s = this.rng.pick(live);
    const task = (await this.call(DELETE_STORAGE, { id: s.id }))?.deleteStorage;
    if (!task) return;
    s.deleted = true;
    this.accept(task);
  }

  private async step(target: number): Promise<void> {
    const r = this.rng.next();
    if (this.live().length === 0) return void (await this.register());
    if (r < 0.45) return this.churnAndSync();
    if (r < 0.48) return this.syncAll();
    if (r < 0.56) return this.cancel();
    if (r < 0.6) return this.deleteOne(target);
    if (r < 0.65) return void (this.live().length < target * 1.1 ? await this.register() : undefined);
    await this.call(TASKS, { status: this.rng.pick([['QUEUED', 'RUNNING'], ['FAILED'], ['SUCCEEDED']]) });
  }

  private async traps(): Promise<void> {
    this.tools = snmpTools();
    let seq = 0;
    while (this.running) {
      seq++;
      const args = ['-v', '2c', '-c', TRAP_COMMUNITY, `127.0.0.1:${this.system.trapPort}`, '', FAKE_RAISED,
        ...[fakeVarbind(1, 'SOAK-TRAP'), fakeVarbind(2, 'Soak trap'), fakeVarbind(3, 'Minor'), fakeVarbind(4, 'Fault'), fakeVarbind(5, `soak trap ${seq}`), fakeVarbind(6, 'shelf 1'), fakeVarbind(7, String(seq)), fakeVarbind(8, 'Disk')].flat()];
      await this.tools.send('snmptrap', args).then(() => this.trapsSent++, () => undefined);
      await sleep(2000);
    }
  }

  /** Starts `lanes` concurrent loops of operations (each one after the other, a short pause between) and the traps. */
  start(target: number, lanes = 2): void {
    this.running = true;
    for (let i = 0; i < lanes; i++) {
      this.loops.push((async () => {
        while (this.running) {
          await this.step(target);
          await sleep(150 + this.rng.int(200));
        }
      })());
    }
    this.loops.push(this.traps());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.tools?.cleanup();
  }
}
