// A graphql-ws `next` message written straight to one subscriber's socket, from a payload already
// serialised once for every subscriber of the same event and operation (../subscriptions/
// shared-execution.ts): per socket only the frame around it is built. Byte for byte what
// graphql-ws would send for that payload ({"id","type","payload"} in that order).
import type { WebSocket } from 'ws';

/** Sends `payloadJson` as the `next` message of operation `id`; resolves once written (backpressure). */
export function nextSender(socket: WebSocket, id: string): (payloadJson: string) => Promise<void> {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return (payloadJson) =>
    new Promise((resolve, reject) => {
      // As graphql-ws's own send: a socket closing drops the message (its close ends the operation).
      if (socket.readyState !== socket.OPEN) return resolve();
      socket.send(`${head}${payloadJson}}`, (err) => (err ? reject(err) : resolve()));
    });
}
