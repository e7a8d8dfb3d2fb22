// The system under soak: its own database on the shared PostgreSQL, a private nats-server, the
// MongoDB-wire stand-in, and the roles as separate processes (2 api, 3 workers, 2 schedulers,
// the alerts receiver). Everything it starts, cleanup() removes, also after a Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { testEnv } from '../test/support/env.js';
import { policyFile } from '../test/support/policy-file.js';
import { startPrivateNats, type PrivateNats } from '../test/support/nats-server.js';
import { freeUdpPort } from '../test/support/snmp.js';
import { startStandIn, type StandIn } from '../src/scheduler/stand-in/stand-in.js';
import { dropDatabase } from '../src/db/database.js';
import { RoleProcess, type Crash, type Role } from './role-process.js';

export const ROLE_COUNTS: Record<Role, number> = { api: 2, worker: 3, scheduler: 2, alerts: 1 };
/** The worker's ack wait: a SIGSTOPped worker is held past it. */
export const ACK_WAIT_SECONDS = 5;
/** Schedules and performance polling at this minimum interval. */
export const MIN_INTERVAL_SECONDS = 10;

export class SoakSystem {
  readonly slots: RoleProcess[] = [];
  readonly crashes: Crash[] = [];
  private standIn?: StandIn;
  private standInPort = 0;
  private policyPath = '';
  trapPort = 0;
  databaseUrl = '';
  nats?: PrivateNats;

  constructor(
    readonly logDir: string,
    private readonly clock: () => number,
  ) {}

  static create(clock: () => number, logDir = mkdtempSync(join(tmpdir(), 'delfin-soak-'))): SoakSystem {
    return new SoakSystem(logDir, clock);
  }

  /** Starts everything; what started before a failure (or a Ctrl-C) is removed by cleanup(). */
  async start(): Promise<void> {
    this.nats = await startPrivateNats();
    this.standIn = await startStandIn('delfin_soak');
    this.standInPort = Number(new URL(this.standIn.url).port);
    this.trapPort = await freeUdpPort();
    this.policyPath = policyFile({
      worker: { ackWaitSeconds: ACK_WAIT_SECONDS, maxAttempts: 100 },
      sync: { leaseSeconds: 5 },
      drivers: { callTimeoutSeconds: 5 },
      scheduler: { processEveryMs: 500, lockLifetimeSeconds: 10 },
      // Eight processes on a PostgreSQL other tests share (max_connections 100): small pools.
      database: { poolSize: 6 },
    });
    const t = testEnv('soak', {
      NATS_URL: this.nats.url,
      MONGODB_URL: this.standIn.url,
      SCHEDULER_BACKEND: 'mongodb',
      DELFIN_MIN_INTERVAL_SECONDS: String(MIN_INTERVAL_SECONDS),
      DELFIN_CONFIG: this.policyPath,
      DELFIN_TRAP_PORT: String(this.trapPort),
      DELFIN_TRAP_HOST: '127.0.0.1',
    });
    this.databaseUrl = t.databaseUrl;
    for (const [role, count] of Object.entries(ROLE_COUNTS) as Array<[Role, number]>) {
      for (let i = 0; i < count; i++) this.slots.push(new RoleProcess(role, i, t.env, this.logDir, (c) => this.crashes.push(c), this.clock));
    }
    // The first api creates the database and migrates it; the others start on it.
    await this.slots[0]!.start();
    await Promise.all(this.slots.slice(1).map((s) => s.start()));
  }

  of(role: Role): RoleProcess[] {
    return this.slots.filter((s) => s.role === role);
  }

  /** An api that is up (not mid-restart), else any. */
  apiUrl(pick: (n: number) => number): string {
    const apis = this.of('api');
    const up = apis.filter((a) => a.pid !== undefined);
    return (up.length ? up : apis)[pick(up.length || apis.length)]!.url;
  }

  /** The stand-in stopped and started again on its port: empty, as a restarted CongoDB is. */
  async restartStandIn(downMs: number): Promise<void> {
    await this.standIn?.stop();
    await new Promise((r) => setTimeout(r, downMs));
    this.standIn = await startStandIn('delfin_soak', this.standInPort);
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.stop('SIGKILL').catch(() => undefined)));
    await this.nats?.destroy().catch(() => undefined);
    await this.standIn?.stop().catch(() => undefined);
    if (this.databaseUrl) await dropDatabase(this.databaseUrl).catch(() => undefined);
    if (this.policyPath) rmSync(dirname(this.policyPath), { recursive: true, force: true });
  }

  removeLogs(): void {
    rmSync(this.logDir, { recursive: true, force: true });
  }
}
