// CongoDB's `hello` reply carries a `topologyVersion`, which tells the MongoDB driver that the
// server implements the streaming ("awaitable hello", exhaust / moreToCome) protocol. CongoDB
// does not: it answers the awaitable hello at once, the driver's monitor fails with "Server
// ended moreToCome unexpectedly", marks the server Unknown and clears its connection pool,
// failing the operations in flight (an Agenda job whose run could not be saved then stays
// locked for its whole lock lifetime). Without a topologyVersion the driver polls `hello` every
// heartbeatFrequencyMS, as it does with any server that has no streaming protocol: the reply
// no longer promises what the stand-in does not do. Patched at run time in the stand-in's own
// process (development and tests only), before its server starts.
import { HelloHandler } from '@push.rocks/smartmongo/dist_ts/congodb/server/handlers/HelloHandler.js';

let patched = false;

export function helloWithoutTopologyVersion(): void {
  if (patched) return;
  const original = HelloHandler.prototype.handle;
  if (typeof original !== 'function') throw new Error('CongoDB changed: HelloHandler.prototype.handle is gone (see congo-hello.ts)');
  HelloHandler.prototype.handle = async function (this: HelloHandler, context) {
    const reply = await original.call(this, context);
    delete reply.topologyVersion;
    return reply;
  };
  patched = true;
}
