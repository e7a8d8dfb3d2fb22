// type-graphql's PubSub over NATS core subjects, so topic-based subscriptions reach clients of
// every api replica. (taskEvents has its own relay with initial state; this serves the rest.)
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { PubSub } from 'type-graphql';

export class NatsPubSub implements PubSub {
  constructor(
    private readonly connection: () => NatsConnection | undefined,
    private readonly prefix: string,
  ) {}

  private subject(key: string, id?: unknown): string {
    return id === undefined ? `${this.prefix}.${key}` : `${this.prefix}.${key}.${String(id)}`;
  }

  private nc(): NatsConnection {
    const nc = this.connection();
    if (!nc) throw new Error('subscriptions need a connection to NATS');
    return nc;
  }

  publish(key: string, ...args: unknown[]): void {
    const [idOrPayload, payload] = args.length > 1 ? args : [undefined, args[0]];
    this.nc().publish(this.subject(key, idOrPayload), JSON.stringify(payload));
  }

  subscribe(key: string, id?: unknown): AsyncIterable<unknown> {
    const sub = this.nc().subscribe(this.subject(key, id));
    return { [Symbol.asyncIterator]: () => iterate(sub) };
  }
}

/** `return()` unsubscribes at once, instead of waiting for one more message as a generator would. */
function iterate(sub: Subscription): AsyncIterator<unknown> {
  const it = sub[Symbol.asyncIterator]();
  return {
    async next() {
      const r = await it.next();
      return r.done ? r : { value: JSON.parse(new TextDecoder().decode(r.value.data)), done: false };
    },
    async return() {
      sub.unsubscribe();
      return { value: undefined, done: true };
    },
  };
}
