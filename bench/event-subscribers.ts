// Many graphql-ws clients in this process, each subscribed to the task events of one storage,
// recording for every event the time from the worker's publish (the event's `at`) to its arrival.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const QUERY = `subscription($storageId: ID) { taskEvents(storageId: $storageId) { type at task { id version status progress phase message } } }`;

type Event = { type: string; at: string; task: { id: string; version: number } };

export interface EventSubscribers {
  /** Per client, the (task id, version, type) of each event in arrival order. */
  seen: Array<Array<[string, number, string]>>;
  /** Publish → arrival, in ms, of every event at every client. */
  latencies: number[];
  errors: unknown[];
  /** Resolves once every client has received an event for which `until` holds. */
  waitAll(until: (e: Event) => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** `count` clients, the i-th on `urls[i % urls.length]` (round robin over api replicas). */
export async function openSubscribers(urls: string[], storageId: string, count: number): Promise<EventSubscribers> {
  const clients: Client[] = [];
  const seen: Array<Array<[string, number, string]>> = [];
  const latencies: number[] = [];
  const errors: unknown[] = [];
  // One waiter at a time: which clients have seen its event yet.
  const ended: boolean[] = new Array(count).fill(false);
  let waiter: { until: (e: Event) => boolean; done: boolean[]; left: number; resolve(): void } | undefined;
  // Opened OPEN_BATCH at a time, each batch connected before the next: ten thousand handshakes
  // at once outlast graphql-ws's connection-init wait (3 s) on a loaded machine.
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % OPEN_BATCH === 0) await connected(clients.slice(i - OPEN_BATCH));
    const client = createClient({ url: urls[i % urls.length]!.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
    const mine: Array<[string, number, string]> = [];
    client.subscribe<{ taskEvents: Event }>({ query: QUERY, variables: { storageId } }, {
      next: ({ data, errors: payloadErrors }) => {
        if (!data) {
          // An error instead of an event (e.g. a subscriber that fell behind): recorded, and this
          // client counts as done for any waiter, so the run ends and reports it incomplete.
          errors.push(payloadErrors);
          ended[i] = true;
          if (waiter && !waiter.done[i]) {
            waiter.done[i] = true;
            if (--waiter.left === 0) waiter.resolve();
          }
          return;
        }
        const e = data.taskEvents;
        latencies.push(Date.now() - Date.parse(e.at));
        mine.push([e.task.id, e.task.version, e.type]);
        if (waiter && !waiter.done[i] && waiter.until(e)) {
          waiter.done[i] = true;
          if (--waiter.left === 0) waiter.resolve();
        }
      },
      error: (err) => {
        errors.push(err);
        ended[i] = true;
        if (waiter && !waiter.done[i]) {
          waiter.done[i] = true;
          if (--waiter.left === 0) waiter.resolve();
        }
      },
      complete: () => undefined,
    });
    clients.push(client);
    seen.push(mine);
  }
  // Every client answered its connection_init (lazy: false); its subscribe message follows at once.
  await connected(clients.slice(Math.floor((count - 1) / OPEN_BATCH) * OPEN_BATCH));
  return {
    seen,
    latencies,
    errors,
    waitAll(until, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${waiter?.left} subscribers did not see the event in ${timeoutMs} ms`)), timeoutMs);
        // A client whose subscription ended with an error will see nothing more: not waited for.
        const done = ended.slice();
        const left = done.filter((d) => !d).length;
        if (left === 0) return (clearTimeout(timer), resolve());
        waiter = { until, done, left, resolve: () => (clearTimeout(timer), (waiter = undefined), resolve()) };
      });
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
    },
  };
}

const OPEN_BATCH = 250;

/** Resolves once every client answered its connection_init (lazy: false). */
function connected(clients: Client[]): Promise<unknown> {
  return Promise.all(clients.map((c) => new Promise<void>((r) => { const off = c.on('connected', () => (off(), r())); })));
}
