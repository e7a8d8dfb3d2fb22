// Many graphql-ws clients in one process, each subscribed to the task events of one storage,
// recording for every event the time from the worker's publish (the event's `at`) to its arrival.
// The benchmark runs several such processes (./subscriber-process.ts), so that one process's
// single thread does not set the latency being measured.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const QUERY = `subscription($storageId: ID) { taskEvents(storageId: $storageId) { type at task { id version status progress phase message } } }`;

type Event = { type: string; at: string; task: { id: string; version: number } };

/** What one client saw of one task: its first and last event, and whether versions skipped. */
export interface TaskSeen { firstType: string; firstVersion: number; lastType: string; lastVersion: number; gap: boolean }

export interface SubscriberClients {
  /** Per client, what it saw of each task, in arrival order of the tasks. */
  seen: Array<Map<string, TaskSeen>>;
  /** Publish → arrival, in ms, of every event at every client, one array per segment (see mark). */
  segments: number[][];
  /** Starts a new latency segment (e.g. between the paced syncs and the burst). */
  mark(): void;
  errors: unknown[];
  /** Resolves once every client has received the event `type` of task `taskId`. */
  waitAll(taskId: string, type: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** `count` clients, the i-th on `urls[(first + i) % urls.length]` (round robin over api replicas). */
export async function openClients(urls: string[], storageId: string, count: number, first = 0): Promise<SubscriberClients> {
  const clients: Client[] = [];
  const seen: Array<Map<string, TaskSeen>> = [];
  const segments: number[][] = [[]];
  const errors: unknown[] = [];
  // One waiter at a time: which clients have seen its event yet.
  const ended: boolean[] = new Array(count).fill(false);
  let waiter: { taskId: string; type: string; done: boolean[]; left: number; resolve(): void } | undefined;
  const settle = (i: number) => {
    if (waiter && !waiter.done[i]) {
      waiter.done[i] = true;
      if (--waiter.left === 0) waiter.resolve();
    }
  };
  // Opened OPEN_BATCH at a time, each batch connected before the next: ten thousand handshakes
  // at once outlast graphql-ws's connection-init wait (3 s) on a loaded machine.
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % OPEN_BATCH === 0) await connected(clients.slice(i - OPEN_BATCH));
    const client = createClient({ url: urls[(first + i) % urls.length]!.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
    const mine = new Map<string, TaskSeen>();
    client.subscribe<{ taskEvents: Event }>({ query: QUERY, variables: { storageId } }, {
      next: ({ data, errors: payloadErrors }) => {
        if (!data) {
          // An error instead of an event (e.g. a subscriber that fell behind): recorded, and this
          // client counts as done for any waiter, so the run ends and reports it incomplete.
          errors.push(payloadErrors);
          ended[i] = true;
          return settle(i);
        }
        const e = data.taskEvents;
        segments.at(-1)!.push(Date.now() - Date.parse(e.at));
        const task = mine.get(e.task.id);
        if (!task) mine.set(e.task.id, { firstType: e.type, firstVersion: e.task.version, lastType: e.type, lastVersion: e.task.version, gap: false });
        else {
          if (e.task.version !== task.lastVersion + 1) task.gap = true;
          task.lastType = e.type;
          task.lastVersion = e.task.version;
        }
        if (waiter && e.task.id === waiter.taskId && e.type === waiter.type) settle(i);
      },
      error: (err) => {
        errors.push(err);
        ended[i] = true;
        settle(i);
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
    segments,
    mark: () => void segments.push([]),
    errors,
    waitAll(taskId, type, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${waiter?.left} subscribers did not see the event in ${timeoutMs} ms`)), timeoutMs);
        // A client whose subscription ended with an error will see nothing more: not waited for;
        // nor one that already saw the event.
        const done = ended.map((e, i) => e || seen[i]!.get(taskId)?.lastType === type);
        const left = done.filter((d) => !d).length;
        if (left === 0) return (clearTimeout(timer), resolve());
        waiter = { taskId, type, done, left, resolve: () => (clearTimeout(timer), (waiter = undefined), resolve()) };
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
