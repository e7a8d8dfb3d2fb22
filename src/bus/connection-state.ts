// Whether a NATS connection is up right now, and since when it is down. The client reconnects by
// itself and buffers what is published meanwhile; a request (a JetStream publish) would only time
// out seconds later. Knowing the link is down lets the api answer UNAVAILABLE without waiting
// once an outage is longer than a failover, and /readyz say so.
import type { NatsConnection } from '@nats-io/transport-node';

/** When each connection that is down went down (ms since the epoch). */
const downSince = new WeakMap<NatsConnection, number>();

/** Follows the connection's status events; call once per connection. */
export async function trackConnection(nc: NatsConnection): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect' && !downSince.has(nc)) downSince.set(nc, Date.now());
    if (s.type === 'reconnect') downSince.delete(nc);
  }
}

export function isConnected(nc: NatsConnection): boolean {
  return !nc.isClosed() && !downSince.has(nc);
}

/** How long the connection has been down, in ms (0 when up; Infinity when closed for good). */
export function downForMs(nc: NatsConnection): number {
  if (nc.isClosed()) return Infinity;
  const since = downSince.get(nc);
  return since === undefined ? 0 : Date.now() - since;
}
