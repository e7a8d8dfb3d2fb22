// graphql-ws subscribers, as client apps: many follow one accepted task each (taskEvents(taskId)),
// a few follow every task. Each records what it received per connection ("segment"); a
// connection an api kill cut is opened again on another api. The checks compare the records with
// the tasks' final rows.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TASK_EVENTS } from '../test/support/operations.js';
import { sleep } from './role-process.js';

export interface Seen {
  version: number;
  status: string;
  /** When it arrived (seconds after the load started; absent for final rows). */
  at?: number;
}

export interface Segment {
  /** Events per task id, in arrival order. */
  events: Map<string, Seen[]>;
  /** How it ended: complete (the task ended), FELL_BEHIND, another error code, 'closed' (socket cut), or open. */
  end: 'open' | 'complete' | 'closed' | string;
}

export interface Subscriber {
  taskId?: string;
  segments: Segment[];
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
/** Ends after which a subscriber connects again: the socket cut, or UNAVAILABLE ("try again"). */
const RETRIED = new Set(['closed', 'UNAVAILABLE']);

export class Subscribers {
  readonly all: Subscriber[] = [];
  private readonly clients = new Set<Client>();
  private running = true;
  private open = 0;

  constructor(
    private readonly url: () => string,
    private readonly maxPerTask: number,
    private readonly clock: () => number,
  ) {}

  /** A subscriber of one task, when fewer than the maximum are open. */
  followTask(taskId: string): void {
    if (!this.running || this.open >= this.maxPerTask) return;
    const sub: Subscriber = { taskId, segments: [] };
    this.all.push(sub);
    this.open++;
    void this.connect(sub, { taskId }).finally(() => this.open--);
  }

  /** A subscriber of every task, for the whole run. */
  followAll(): void {
    const sub: Subscriber = { segments: [] };
    this.all.push(sub);
    void this.connect(sub, {});
  }

  /** Connections one after another until the subscription ends for good (complete, told, or stopped). */
  private async connect(sub: Subscriber, variables: Record<string, unknown>): Promise<void> {
    while (this.running) {
      const seg: Segment = { events: new Map(), end: 'open' };
      sub.segments.push(seg);
      await this.segment(seg, variables);
      // Cut off, or told to try again (the api could not reach PostgreSQL or the bus): again, as a client would.
      if (!RETRIED.has(seg.end)) return;
      await sleep(500);
    }
  }

  private segment(seg: Segment, variables: Record<string, unknown>): Promise<void> {
    return new Promise((resolve) => {
      const client = createClient({ url: this.url().replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
      this.clients.add(client);
      const done = (end: string) => {
        // A client disposed by stop() reports complete (graphql-ws completes a sink whose client
        // is disposed): what ends after the stop stays open, so a subscriber never told of its
        // task's end is found as such, not as one completed early.
        if (seg.end === 'open' && this.running) seg.end = end;
        this.clients.delete(client);
        void client.dispose();
        resolve();
      };
      client.subscribe<any>({ query: TASK_EVENTS, variables }, {
        next: (v) => {
          if (v.errors?.length) return done(String(v.errors[0]!.extensions?.code ?? 'NO_CODE'));
          const e = v.data!.taskEvents;
          const list = seg.events.get(e.task.id) ?? [];
          list.push({ version: e.task.version, status: e.task.status, at: this.clock() });
          seg.events.set(e.task.id, list);
        },
        error: (err) => {
          const code = Array.isArray(err) ? String((err[0] as any)?.extensions?.code ?? 'NO_CODE') : 'closed';
          done(code);
        },
        complete: () => done('complete'),
      });
    });
  }

  /** Closes every open connection (their segments stay 'open'). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.clients].map((c) => c.dispose()));
  }
}

export interface SubscriberFindings {
  subscribers: number;
  segments: number;
  eventsSeen: number;
  /**
   * Version jumps: events a subscriber never got. A kill between a row's write and its event, or
   * a NATS cut (caught up from the rows), explains one: a fault injected in the GAP_WINDOW
   * seconds before the jump arrived. An unexplained gap is a violation.
   */
  gaps: number;
  /** The first gaps, described (task, versions, statuses). */
  gapSamples: string[];
  fellBehind: number;
  violations: string[];
}

/** A gap arriving this long after a fault is put down to the fault. */
export const GAP_WINDOW_SECONDS = 30;

/**
 * Per subscriber: events of each task strictly in version order, none skipped but where a fault
 * explains it; a follower of one task saw its end (or was told it fell behind).
 */
export function checkSubscribers(subs: Subscriber[], finals: Map<string, Seen>, faultTimes: number[] = []): SubscriberFindings {
  const explained = (at: number | undefined) => at !== undefined && faultTimes.some((t) => t <= at && at - t <= GAP_WINDOW_SECONDS);
  const f: SubscriberFindings = { subscribers: subs.length, segments: 0, eventsSeen: 0, gaps: 0, gapSamples: [], fellBehind: 0, violations: [] };
  for (const sub of subs) {
    for (const seg of sub.segments) {
      f.segments++;
      if (seg.end === 'FELL_BEHIND') f.fellBehind++;
      else if (seg.end !== 'open' && seg.end !== 'complete' && !RETRIED.has(seg.end)) f.violations.push(`a subscriber's connection ended with error ${seg.end}`);
      for (const [taskId, seen] of seg.events) {
        f.eventsSeen += seen.length;
        for (let i = 1; i < seen.length; i++) {
          if (seen[i]!.version <= seen[i - 1]!.version) f.violations.push(`task ${taskId}: a subscriber got version ${seen[i]!.version} after ${seen[i - 1]!.version}`);
          else if (seen[i]!.version > seen[i - 1]!.version + 1) {
            f.gaps++;
            const what = `task ${taskId} (${sub.taskId ? 'its own subscriber' : 'all tasks'}): ${JSON.stringify(seen[i - 1])} then ${JSON.stringify(seen[i])}`;
            if (!explained(seen[i]!.at)) f.violations.push(`a subscriber missed versions with no fault in the ${GAP_WINDOW_SECONDS} s before: ${what}`);
            else if (f.gapSamples.length < 5) f.gapSamples.push(what);
          }
        }
      }
    }
    const last = sub.segments.at(-1);
    if (!last) continue;
    if (!sub.taskId) {
      if (last.end === 'open') f.violations.push(...missedEnds(last, finals));
      continue;
    }
    const final = finals.get(sub.taskId);
    const seen = last.events.get(sub.taskId) ?? [];
    const end = seen.at(-1);
    if (last.end === 'FELL_BEHIND' || !final) continue;
    if (last.end === 'complete' && (!end || !TERMINAL.has(end.status) || end.version !== final.version)) {
      f.violations.push(`task ${sub.taskId}: its subscription completed after ${JSON.stringify(end)}, the task ended at ${JSON.stringify(final)}`);
    }
    if (last.end === 'open' && TERMINAL.has(final.status)) {
      f.violations.push(`task ${sub.taskId} ended ${final.status} (version ${final.version}) but its subscriber was never told: last saw ${JSON.stringify(end)}`);
    }
  }
  return f;
}

/** Tasks a follower of every task saw open on its last connection but never saw end. */
function missedEnds(seg: Segment, finals: Map<string, Seen>): string[] {
  const out: string[] = [];
  for (const [taskId, seen] of seg.events) {
    const final = finals.get(taskId);
    const end = seen.at(-1)!;
    if (final && TERMINAL.has(final.status) && !TERMINAL.has(end.status)) {
      out.push(`task ${taskId} ended ${final.status} (version ${final.version}); a subscriber of all tasks last saw ${end.status} (version ${end.version})`);
    }
  }
  return out;
}
