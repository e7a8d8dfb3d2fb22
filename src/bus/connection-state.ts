// Whether a NATS connection is up right now. The client reconnects by itself and buffers what is
// published meanwhile; a request (a JetStream publish) would only time out seconds later. Knowing
// the link is down lets the api answer UNAVAILABLE at once and /readyz say so.
import type { NatsConnection } from '@nats-io/transport-node';

const down = new WeakSet<NatsConnection>();

/** Follows the connection's status events; call once per connection. */
export async function trackConnection(nc: NatsConnection): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect') down.add(nc);
    if (s.type === 'reconnect') down.delete(nc);
  }
}

export function isConnected(nc: NatsConnection): boolean {
  return !nc.isClosed() && !down.has(nc);
}
