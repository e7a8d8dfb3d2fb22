// A PostgreSQL server of the caller's own (Debian's binaries, a cluster made by initdb in a
// temporary directory, on a free loopback port), which the soak can crash and start again
// without touching the shared server every other test uses. PostgreSQL refuses to run as root,
// so when we are root its commands run as the `postgres` user.
import { execFileSync, execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/lib/ports.js';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** The server's URL without a database (`postgres://postgres@127.0.0.1:PORT`). */
  url: string;
  /** Stops the server: `immediate` is a crash (no checkpoint; recovery replays the WAL at start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its data directory. */
  destroy(): Promise<void>;
}

/** Debian's newest installed PostgreSQL (its binaries are not on the PATH). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return join(root, versions[0]!, 'bin');
}

const asPostgres = (cmd: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];

export async function startPrivatePostgres(settings: Record<string, string | number> = {}): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'delfin-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  await run(...asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']));
  // fsync off: a crash here is the server's process, not the machine's, so the OS keeps every
  // write; commits stay synchronous, so an answered commit survives the crash.
  const options = Object.entries({ port, listen_addresses: '127.0.0.1', unix_socket_directories: dir, fsync: 'off', max_connections: 200, ...settings })
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const pgCtl = (args: string[]) => run(...asPostgres(join(bin, 'pg_ctl'), ['-D', data, ...args]));
  const start = async () => {
    await pgCtl(['-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await pgCtl(['-m', mode, '-w', 'stop']).catch(() => undefined);
  };
  try {
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    stop,
    start,
    async destroy() {
      await stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
