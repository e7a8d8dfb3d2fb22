// The MongoDB-wire stand-in (CongoDB, from @push.rocks/smartmongo, a development dependency),
// run as its own process: stopping it inside the parent sometimes hung. Usage: node
// congo-server.js PORT. Prints "congodb listening PORT" once it accepts connections; keeps its
// data in memory only; exits with its parent (the IPC channel closes even when the parent is
// SIGKILLed), or on SIGTERM/SIGINT. Its `hello` is patched first (congo-hello.ts): no streaming
// monitoring promised, so the driver never clears its pool over it.
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';
import { helloWithoutTopologyVersion } from './congo-hello.js';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write('usage: congo-server.js PORT\n');
  process.exit(2);
}

helloWithoutTopologyVersion();
const server = new CongoServer({ host: '127.0.0.1', port });
await server.start();
process.stdout.write(`congodb listening ${port}\n`);

const exit = () => process.exit(0);
process.on('disconnect', exit);
process.on('SIGTERM', exit);
process.on('SIGINT', exit);
