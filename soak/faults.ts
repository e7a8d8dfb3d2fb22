// Faults drawn from the seed before the run starts (so a seed replays the same plan), injected
// at their moment and logged: SIGKILLs spread over every role (the killed process started
// again), a worker SIGSTOPped past its ack wait then SIGCONTed, a NATS node SIGKILLed and
// restarted, a NATS node's disk full, the soak's PostgreSQL crashed and restarted, the
// MongoDB-wire stand-in restarted, a driver that hangs or crawls for a while.
import type { Rng } from '../test/support/prng.js';
import type { Load } from './load.js';
import { ACK_WAIT_SECONDS, type SoakSystem } from './system.js';
import { sleep } from './role-process.js';

export type FaultKind = 'kill' | 'pause' | 'nats-node' | 'nats-disk-full' | 'postgres' | 'mongo' | 'driver-hang' | 'driver-slow';

export interface PlannedFault {
  /** Seconds after the load started. */
  at: number;
  kind: FaultKind;
  /** A slot index (kill, pause), a NATS node (nats-node, nats-disk-full) or a storage draw (driver faults). */
  target: number;
  /** Seconds the fault lasts (pause, outage, driver fault). */
  lasts: number;
}

export interface InjectedFault extends PlannedFault {
  /** When it was injected (seconds), and what it hit. */
  injectedAt: number;
  what: string;
}

/** The plan over `seconds`: kills every killEvery seconds on average, each rarer kind every rareEvery. */
export function planFaults(rng: Rng, seconds: number, killEvery: number, rareEvery: number, slots: number): PlannedFault[] {
  const plan: PlannedFault[] = [];
  const series = (kind: FaultKind, every: number, lasts: () => number, target: () => number, first: number) => {
    if (every <= 0) return;
    // The first one comes a little early, so that a short run meets every kind once.
    for (let at = first + every * (0.25 + 0.5 * rng.next()); at < seconds; at += every * (0.5 + rng.next())) {
      plan.push({ at: Math.round(at * 10) / 10, kind, target: target(), lasts: lasts() });
    }
  };
  series('kill', killEvery, () => 0, () => rng.int(slots), 0);
  series('pause', rareEvery, () => ACK_WAIT_SECONDS * 2 + rng.int(6), () => rng.int(3), 10);
  series('nats-node', rareEvery, () => 2 + rng.int(5), () => rng.int(3), 20);
  series('mongo', rareEvery, () => 1 + rng.int(3), () => 0, 30);
  series('postgres', rareEvery, () => 1 + rng.int(4), () => 0, 40);
  series('nats-disk-full', rareEvery, () => 10 + rng.int(20), () => rng.int(3), 50);
  series('driver-hang', rareEvery / 2, () => 30 + rng.int(30), () => rng.int(1_000_000), 5);
  series('driver-slow', rareEvery / 2, () => 30 + rng.int(30), () => rng.int(1_000_000), 15);
  return plan.sort((a, b) => a.at - b.at);
}

export class FaultInjector {
  readonly injected: InjectedFault[] = [];
  private running = true;
  private loop?: Promise<void>;
  /** Faults that end later (a paused worker, a driver fault), ended by their own timers or by stop(). */
  private readonly pending = new Set<Promise<void>>();
  /** NATS nodes a full disk holds (freed and restarted by the fault's own end): not killed meanwhile. */
  private readonly busyNodes = new Set<number>();

  constructor(
    private readonly system: SoakSystem,
    private readonly load: Load,
    private readonly clock: () => number,
    private readonly say: (line: string) => void = () => undefined,
  ) {}

  start(plan: PlannedFault[]): void {
    this.loop = (async () => {
      for (const f of plan) {
        while (this.running && this.clock() < f.at) await sleep(Math.min(1000, (f.at - this.clock()) * 1000));
        if (!this.running) return;
        // A fault whose recovery fails (a service that will not start again) is logged, never the end of the soak.
        await this.inject(f).catch((err: Error) => this.say(`fault ${f.kind} at ${f.at} s could not be injected or ended: ${err.message}`));
      }
    })();
  }

  private record(f: PlannedFault, what: string): void {
    this.injected.push({ ...f, injectedAt: Math.round(this.clock() * 10) / 10, what });
    this.say(`fault at ${this.clock().toFixed(1)} s: ${f.kind} ${what}`);
  }

  /** The end of a fault that lasts (its own timer, or stop()), logged when it is over. */
  private later(f: PlannedFault, fn: () => Promise<void>): void {
    const p = fn()
      .catch((err: Error) => this.say(`fault ${f.kind} at ${f.at} s: its end failed: ${err.message}`))
      .finally(() => {
        this.pending.delete(p);
        this.say(`fault ${f.kind} planned at ${f.at} s: over at ${this.clock().toFixed(1)} s`);
      });
    this.pending.add(p);
  }

  private async inject(f: PlannedFault): Promise<void> {
    const { system, load } = this;
    if (f.kind === 'kill') {
      const slot = system.slots[f.target % system.slots.length]!;
      this.record(f, `SIGKILL ${slot.name} (pid ${slot.pid})`);
      // A role that cannot start again for a while (JetStream not answering, say) is counted
      // among the refused starts and tried until it starts, in the background.
      await slot.kill().catch(() => this.later(f, () => this.startUntilUp(slot)));
    } else if (f.kind === 'pause') {
      const worker = system.of('worker')[f.target % 3]!;
      if (worker.isPaused || !worker.pid) return;
      this.record(f, `SIGSTOP ${worker.name} (pid ${worker.pid}) for ${f.lasts} s`);
      worker.pause();
      this.later(f, async () => {
        await this.wait(f.lasts);
        worker.resume();
      });
    } else if (f.kind === 'nats-node') {
      const i = f.target % system.nats!.nodes.length;
      if (this.busyNodes.has(i)) return;
      const node = system.nats!.nodes[i]!;
      this.record(f, `SIGKILL nats-server ${node.name}, down ${f.lasts} s`);
      await node.kill();
      await sleep(f.lasts * 1000);
      await node.start();
      await system.ensureStreamTakesMessages();
    } else if (f.kind === 'nats-disk-full') {
      const i = f.target % system.nats!.nodes.length;
      const disk = system.natsDisks[i];
      if (!disk || this.busyNodes.has(i)) return; // no disk of its own on this machine (the report says why)
      this.busyNodes.add(i);
      const node = system.nats!.nodes[i]!;
      this.record(f, `disk of nats-server ${node.name} full for ${f.lasts} s, then freed and the node restarted`);
      disk.fill();
      // A full store makes nats-server turn JetStream off on that node until it restarts: the
      // operator frees the disk and restarts it, which the soak does when the fault ends.
      this.later(f, async () => {
        await this.wait(f.lasts);
        disk.free();
        await node.stop();
        await node.start();
        await system.ensureStreamTakesMessages();
        this.busyNodes.delete(i);
      });
    } else if (f.kind === 'postgres') {
      this.record(f, `PostgreSQL crashed (immediate stop), down ${f.lasts} s`);
      await system.restartPostgres(f.lasts * 1000);
    } else if (f.kind === 'mongo') {
      this.record(f, `MongoDB stand-in restarted (empty), down ${f.lasts} s`);
      await system.restartStandIn(f.lasts * 1000);
    } else {
      const s = load.pickLive(f.target);
      if (!s || s.fault || s.deleted) return;
      const fault = f.kind === 'driver-hang' ? 'hang' : 'slow';
      this.record(f, `storage ${s.host} ${fault === 'hang' ? 'hangs listing volumes' : 'answers in 400 ms a call'} for ${f.lasts} s`);
      await load.setFault(s, fault);
      this.later(f, async () => {
        await this.wait(f.lasts);
        if (!s.deleted) await load.setFault(s, undefined);
      });
    }
  }

  /** Starts a role again and again until it is up (at most ten more minutes once the soak is over). */
  private async startUntilUp(slot: SoakSystem['slots'][number]): Promise<void> {
    const giveUpAfterStop = Date.now() + 600_000;
    for (;;) {
      try {
        return await slot.start();
      } catch (err) {
        this.say(`${slot.name} still cannot start: ${(err as Error).message.slice(0, 200)}`);
        if (slot.isRetired || (!this.running && Date.now() > giveUpAfterStop)) throw err;
      }
    }
  }

  /** Sleeps `seconds`, cut short by stop(). */
  private async wait(seconds: number): Promise<void> {
    const until = Date.now() + seconds * 1000;
    while (this.running && Date.now() < until) await sleep(200);
  }

  /** No new fault; a paused worker resumed, outages over, driver faults lifted. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all([...this.pending]);
    for (const w of this.system.of('worker')) w.resume();
  }

  byKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const f of this.injected) out[f.kind] = (out[f.kind] ?? 0) + 1;
    return out;
  }
}
