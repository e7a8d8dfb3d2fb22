// The system under soak: a PostgreSQL of its own (so it can be crashed without touching the
// shared one), a three-node NATS JetStream cluster on loopback (each node's store on a small disk
// of its own where the machine lets us mount one, so it can be filled), the MongoDB-wire
// stand-in, and the roles as separate processes (2 api, 3 workers, 2 schedulers, the alerts
// receiver). Everything it starts, cleanup() removes, also after a Ctrl-C.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { testEnv } from '../test/support/env.js';
import { policyFile } from '../test/support/policy-file.js';
import { startNatsCluster, type NatsCluster } from '../test/support/nats-server.js';
import { startPrivatePostgres, type PrivatePostgres } from '../test/support/private-postgres.js';
import { mountSmallDisk, type SmallDisk } from '../test/support/small-disk.js';
import { freeUdpPort } from '../test/support/snmp.js';
import { startStandIn, type StandIn } from '../src/scheduler/stand-in/stand-in.js';
import { RoleProcess, type Crash, type Role } from './role-process.js';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import { busNames } from '../src/bus/subjects.js';

export const ROLE_COUNTS: Record<Role, number> = { api: 2, worker: 3, scheduler: 2, alerts: 1 };
/** The worker's ack wait: a SIGSTOPped worker is held past it. */
export const ACK_WAIT_SECONDS = 5;
/** Schedules and performance polling at this minimum interval. */
export const MIN_INTERVAL_SECONDS = 10;
/** NATS nodes, and the replicas of the task stream over them. */
export const NATS_NODES = 3;
/** Each NATS node's disk: room for the soak's streams many times over, small enough to fill at once. */
const NATS_DISK_MB = 256;

export class SoakSystem {
  readonly slots: RoleProcess[] = [];
  readonly crashes: Crash[] = [];
  private standIn?: StandIn;
  private standInPort = 0;
  private policyPath = '';
  trapPort = 0;
  databaseUrl = '';
  nats?: NatsCluster;
  postgres?: PrivatePostgres;
  /** Each NATS node's own disk, when the machine lets the soak mount them (else none: no full-disk fault). */
  natsDisks: SmallDisk[] = [];
  /** Why there are no NATS disks, when there are none. */
  natsDiskRefusal = '';
  /** What the soak did as the cluster's operator beyond the faults' own recovery, and when. */
  readonly operatorActions: Array<{ at: number; what: string }> = [];
  private streamSubject = '';
  private streamName = '';

  constructor(
    readonly logDir: string,
    private readonly clock: () => number,
  ) {}

  static create(clock: () => number, logDir = mkdtempSync(join(tmpdir(), 'delfin-soak-'))): SoakSystem {
    return new SoakSystem(logDir, clock);
  }

  /** Starts everything; what started before a failure (or a Ctrl-C) is removed by cleanup(). */
  async start(): Promise<void> {
    this.postgres = await startPrivatePostgres();
    await this.mountNatsDisks();
    this.nats = await startNatsCluster(NATS_NODES, this.natsDisks.map((d) => d.path));
    this.standIn = await startStandIn('delfin_soak');
    this.standInPort = Number(new URL(this.standIn.url).port);
    this.trapPort = await freeUdpPort();
    this.policyPath = policyFile({
      worker: { ackWaitSeconds: ACK_WAIT_SECONDS, maxAttempts: 100 },
      sync: { leaseSeconds: 5 },
      drivers: { callTimeoutSeconds: 5 },
      scheduler: { processEveryMs: 500, lockLifetimeSeconds: 10 },
      // Eight processes and the checks on a PostgreSQL of max_connections 200.
      database: { poolSize: 10 },
    });
    this.databaseUrl = `${this.postgres.url}/delfin_soak`;
    const t = testEnv('soak', {
      DATABASE_URL: this.databaseUrl,
      NATS_URL: this.nats.url,
      DELFIN_STREAM_REPLICAS: String(NATS_NODES),
      MONGODB_URL: this.standIn.url,
      SCHEDULER_BACKEND: 'mongodb',
      DELFIN_MIN_INTERVAL_SECONDS: String(MIN_INTERVAL_SECONDS),
      DELFIN_CONFIG: this.policyPath,
      DELFIN_TRAP_PORT: String(this.trapPort),
      DELFIN_TRAP_HOST: '127.0.0.1',
    });
    this.streamSubject = busNames(t.namespace).taskSubject('LOW');
    this.streamName = busNames(t.namespace).taskStream;
    for (const [role, count] of Object.entries(ROLE_COUNTS) as Array<[Role, number]>) {
      for (let i = 0; i < count; i++) this.slots.push(new RoleProcess(role, i, t.env, this.logDir, (c) => this.crashes.push(c), this.clock));
    }
    // The first api creates the database and migrates it; the others start on it.
    await this.slots[0]!.start();
    await Promise.all(this.slots.slice(1).map((s) => s.start()));
  }

  /**
   * The operator's check once a NATS node is back: the task stream takes messages. Its leader
   * can keep its place and stop taking them after a full disk (nats-server 2.9.10: publishes get
   * "no responders" while the JetStream API answers); an operator restarts that node. Probed
   * without storing anything (a publish the stream refuses for naming another stream).
   */
  async ensureStreamTakesMessages(): Promise<void> {
    // One connection for the whole check: it reconnects to another node while the leader restarts.
    const nc = await connect({ servers: this.nats!.url.split(','), timeout: 5000, maxReconnectAttempts: -1 }).catch(() => undefined);
    if (!nc) return;
    try {
      for (let restarts = 0; restarts < 3; restarts++) {
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
          if (await this.streamAnswers(nc)) return;
          await sleep(1000);
        }
        const leader = await this.streamLeader(nc);
        if (!leader) return; // no leader at all: an election, which needs no operator
        this.operatorActions.push({ at: this.clock(), what: `the task stream took no message for 20 s; restarted its leader ${leader}` });
        await this.nats!.node(leader).stop();
        await this.nats!.node(leader).start();
      }
    } finally {
      await nc.close().catch(() => undefined);
    }
  }

  /** True when the stream's leader answers a publish (here refused: the expected stream is another). */
  private streamAnswers(nc: NatsConnection): Promise<boolean> {
    const h = headers();
    h.set('Nats-Expected-Stream', 'not-the-task-stream');
    return nc.request(this.streamSubject, '', { headers: h, timeout: 3000 }).then(() => true, () => false);
  }

  private async streamLeader(nc: NatsConnection): Promise<string | undefined> {
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    return jsm.streams.info(this.streamName).then((info) => info.cluster?.leader, () => undefined);
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

  private async mountNatsDisks(): Promise<void> {
    try {
      for (let i = 0; i < NATS_NODES; i++) this.natsDisks.push(await mountSmallDisk(NATS_DISK_MB, `nats-disk-${i + 1}`));
    } catch (err) {
      this.natsDiskRefusal = (err as Error).message;
      await Promise.all(this.natsDisks.map((d) => d.destroy()));
      this.natsDisks = [];
    }
  }

  /** PostgreSQL crashes (immediate stop: no checkpoint, recovery at start) and starts again. */
  async restartPostgres(downMs: number): Promise<void> {
    await this.postgres!.stop('immediate');
    await new Promise((r) => setTimeout(r, downMs));
    await this.postgres!.start();
  }

  async cleanup(): Promise<void> {
    for (const s of this.slots) s.retire();
    await Promise.all(this.slots.map((s) => s.stop('SIGKILL').catch(() => undefined)));
    await this.nats?.destroy().catch(() => undefined);
    await Promise.all(this.natsDisks.map((d) => d.destroy()));
    await this.standIn?.stop().catch(() => undefined);
    await this.postgres?.destroy().catch(() => undefined);
    if (this.policyPath) rmSync(dirname(this.policyPath), { recursive: true, force: true });
  }

  /** A line of the soak's own log (soak.log beside the process logs). */
  note(line: string): void {
    try {
      appendFileSync(join(this.logDir, 'soak.log'), `${line}\n`);
    } catch {
      // the log directory is gone (the run is over)
    }
  }

  removeLogs(): void {
    rmSync(this.logDir, { recursive: true, force: true });
  }
}
