// A graphql-ws `next` message written straight to one subscriber's socket, from a payload already
// serialised once for every subscriber of the same event and operation (../subscriptions/
// shared-execution.ts): per socket only the frame around it is built. Byte for byte what
// graphql-ws would send for that payload ({"id","type","payload"} in that order).
//
// The messages one socket gets in the same turn of the event loop (a subscriber that is behind
// drains its backlog in one go, see ../subscriptions/event-relay.ts) leave in one write: the
// socket is corked until the turn's microtasks are done. Each write is a system call that on
// loopback also carries the receiving side's TCP work, about half of a delivery's CPU.
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Bytes a socket may hold unsent before its subscriber waits for the write (backpressure). */
const HIGH_WATER = 64 * 1024;

/**
 * Sends `payloadJson` as the `next` message of operation `id` on `socket` (whose TCP socket is
 * `tcp`). Resolves at once while the socket's buffer is below HIGH_WATER, else once written: a
 * client that stops reading backs up into its stream, which then tells it FELL_BEHIND.
 */
export function nextSender(socket: WebSocket, tcp: Socket, id: string): (payloadJson: string) => Promise<void> {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return (payloadJson) =>
    new Promise((resolve, reject) => {
      // As graphql-ws's own send: a socket closing drops the message (its close ends the operation).
      if (socket.readyState !== socket.OPEN) return resolve();
      corkForThisTurn(tcp);
      let waited = false;
      socket.send(`${head}${payloadJson}}`, (err) => {
        // A failed write not waited for closes the socket, which ends the operation.
        if (waited) err ? reject(err) : resolve();
      });
      if (socket.bufferedAmount < HIGH_WATER) resolve();
      else waited = true;
    });
}

const corked = new WeakSet<Socket>();

/** Holds `tcp`'s writes until the current microtasks are done (a tick queued now runs after them). */
function corkForThisTurn(tcp: Socket): void {
  if (corked.has(tcp)) return;
  corked.add(tcp);
  tcp.cork();
  process.nextTick(() => {
    corked.delete(tcp);
    tcp.uncork();
  });
}
