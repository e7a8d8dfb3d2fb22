// A PostgreSQL that lets a few connections in and refuses the rest, as a server at
// max_connections does: a TCP proxy in front of the test PostgreSQL that forwards its first
// `admit` connections and answers every later one with PostgreSQL's FATAL 53300 (or, with
// `close`, just closes it). For start-up tests: a role that gets in once and is refused next.
import net from 'node:net';

export interface RefusingPostgres {
  /** A DATABASE_URL through the proxy (user, password and database as given). */
  url(database: string, userinfo?: string): string;
  close(): Promise<void>;
}

const PG = new URL(process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432');

/** PostgreSQL's ErrorResponse message: severity, SQLSTATE, text. */
function errorResponse(sqlState: string, text: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlState}\0M${text}\0\0`);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

export async function refusingPostgres(admit: number, refusal: 'too-many-clients' | 'close' = 'too-many-clients'): Promise<RefusingPostgres> {
  let seen = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (++seen <= admit) {
      const upstream = net.connect(Number(PG.port || 5432), PG.hostname);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      return;
    }
    if (refusal === 'close') return void client.destroy();
    // Answered after the client's startup message, as the server does.
    client.once('data', () => client.end(errorResponse('53300', 'sorry, too many clients already')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: (database, userinfo = PG.username || 'postgres') => `postgres://${userinfo}@127.0.0.1:${port}/${database}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
