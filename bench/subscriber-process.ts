// A child process of the fleet benchmark holding a share of its graphql-ws subscribers
// (./subscriber-clients.ts), driven over IPC by ./event-subscribers.ts.
import { openClients, type SubscriberClients } from './subscriber-clients.js';

export type SubscriberCommand =
  | { id: number; cmd: 'open'; urls: string[]; storageId: string; count: number; first: number }
  | { id: number; cmd: 'wait'; taskId: string; type: string; timeoutMs: number }
  | { id: number; cmd: 'mark' }
  | { id: number; cmd: 'report' }
  | { id: number; cmd: 'close' };

export interface SubscriberReport {
  /** Per client: [task id, first type, first version, last type, last version, gap]. */
  seen: Array<Array<[string, string, number, string, number, boolean]>>;
  segments: Float64Array[];
  errorCount: number;
  firstError?: string;
}

let clients: SubscriberClients | undefined;

async function handle(m: SubscriberCommand): Promise<unknown> {
  switch (m.cmd) {
    case 'open':
      clients = await openClients(m.urls, m.storageId, m.count, m.first);
      return undefined;
    case 'wait':
      return clients!.waitAll(m.taskId, m.type, m.timeoutMs);
    case 'mark':
      return clients!.mark();
    case 'report': {
      const c = clients!;
      const report: SubscriberReport = {
        seen: c.seen.map((tasks) => [...tasks].map(([id, t]) => [id, t.firstType, t.firstVersion, t.lastType, t.lastVersion, t.gap])),
        segments: c.segments.map((s) => Float64Array.from(s)),
        errorCount: c.errors.length,
        firstError: c.errors.length ? JSON.stringify(c.errors[0]).slice(0, 300) : undefined,
      };
      return report;
    }
    case 'close':
      await clients?.close();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

process.on('message', (m: SubscriberCommand) => {
  handle(m).then(
    (result) => process.send!({ id: m.id, result }),
    (err: Error) => process.send!({ id: m.id, error: err.message }),
  );
});

// The benchmark ended (or failed): so does this process.
process.on('disconnect', () => process.exit(0));
