// The SNIA Swordfish API Emulator (third-party, ../shared/emulators/swordfish, see its
// ORIGIN.md): a fresh one per test file on a free port, populated through its own REST API.
// Outside CI a missing emulator skips the tests with one line saying where to get it; under
// CI=true it fails them.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, portAnswers } from '../../src/lib/ports.js';

export const EMULATOR_USER = 'Administrator';
export const EMULATOR_PASSWORD = 'Password';

/** The repository root, from dist/test/support. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The emulator's start script: $SWORDFISH_EMULATOR, else ../shared/emulators/swordfish/start from the repository root. */
export function emulatorScript(): string | null {
  const candidate = process.env.SWORDFISH_EMULATOR || `${ROOT}../shared/emulators/swordfish/start`;
  return existsSync(candidate) ? candidate : null;
}

/**
 * `skip` for node:test: false when the emulator is there; a one-line reason outside CI;
 * under CI=true an absent emulator throws, so the file fails.
 */
export function skipWithoutEmulator(): string | false {
  if (emulatorScript()) return false;
  const where = 'no Swordfish emulator: put the shared folder next to the repository (../shared/emulators/swordfish/start, from the CI image) or set SWORDFISH_EMULATOR to its start script';
  if (process.env.CI === 'true') throw new Error(where);
  return where;
}

export interface Emulator {
  host: string;
  port: number;
  /** https://127.0.0.1:PORT */
  origin: string;
  pid: number;
  dir: string;
  /** The emulator's self-signed certificate (PEM file) and its text. */
  certPath: string;
  certPem: string;
  /** GET/POST/PATCH/DELETE as Administrator (Basic), trusting the emulator's certificate. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  get(path: string): Promise<any>;
  /** Creates a resource at its own URL with @odata.id and Id in the body (see ORIGIN.md). */
  create(path: string, body: Record<string, unknown>): Promise<void>;
  /**
   * Creates `count` volumes `${prefix}0`… under a Storage, one POST at a time over one kept-alive
   * connection, and checks the collection lists them all. Not concurrently: the emulator adds a
   * member to its collection file by read-modify-write, so concurrent POSTs lose members.
   */
  createVolumes(storage: string, count: number, opts?: { prefix?: string; bytes?: number }): Promise<void>;
  /** Stops the emulator: its port refuses connections from then on. */
  stop(): Promise<void>;
  /** Starts it again after stop(), on the same port with the same resources and certificate (an array back from an outage). */
  restart(): Promise<void>;
  /** Stops it for good and removes its state. */
  destroy(): Promise<void>;
}

const run = promisify(execFile);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startEmulator(): Promise<Emulator> {
  const script = emulatorScript();
  if (!script) throw new Error(skipWithoutEmulator() || 'no emulator');
  const port = await freePort();
  const launch = async () => {
    const { stdout } = await run(script, ['--port', String(port)], { timeout: 180_000 });
    const line = /pid=(\d+) dir=(\S+) cert=(\S+)/.exec(stdout);
    if (!line) throw new Error(`the emulator did not say where it runs: ${stdout}`);
    return { pid: Number(line[1]), dir: line[2]!, cert: line[3]! };
  };
  const state = await launch();
  const certPem = readFileSync(state.cert, 'utf8');
  const agent = new https.Agent({ ca: certPem, keepAlive: false });
  const auth = `Basic ${Buffer.from(`${EMULATOR_USER}:${EMULATOR_PASSWORD}`).toString('base64')}`;

  const request = (method: string, path: string, body?: unknown, via: https.Agent = agent) =>
    new Promise<{ status: number; json: any }>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        { host: '127.0.0.1', port, path, method, agent: via, headers: { Authorization: auth, 'Content-Type': 'application/json' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            let json: any = null;
            try {
              json = JSON.parse(text);
            } catch {
              json = text;
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('error', reject);
      req.end(data);
    });

  const emulator: Emulator = {
    host: '127.0.0.1',
    port,
    origin: `https://127.0.0.1:${port}`,
    pid: state.pid,
    dir: state.dir,
    certPath: state.cert,
    certPem,
    request,
    async get(path) {
      const res = await request('GET', path);
      if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
      return res.json;
    },
    async create(path, body) {
      const id = path.split('/').pop()!;
      await request('POST', path, { '@odata.id': path, Id: id, ...body });
      // The emulator answers oddly (a 409 or a 500) to some creations that worked: check by reading.
      const back = await request('GET', path);
      if (back.status !== 200) throw new Error(`the emulator did not create ${path} (GET answers ${back.status})`);
    },
    async createVolumes(storage, count, opts = {}) {
      const { prefix = 'Bulk', bytes = 2 ** 30 } = opts;
      const kept = new https.Agent({ ca: certPem, keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < count; i++) {
          const path = `${storage}/Volumes/${prefix}${i}`;
          const body = { '@odata.id': path, Id: `${prefix}${i}`, Name: `${prefix.toLowerCase()}-${i}`, CapacityBytes: bytes, Status: { State: 'Enabled', Health: 'OK' } };
          const res = await request('POST', path, body, kept);
          if (res.status >= 400 && res.status !== 409 && res.status !== 500) throw new Error(`POST ${path}: HTTP ${res.status}`);
        }
      } finally {
        kept.destroy();
      }
      const members: Array<{ '@odata.id': string }> = (await emulator.get(`${storage}/Volumes`)).Members;
      const made = members.filter((m) => m['@odata.id'].startsWith(`${storage}/Volumes/${prefix}`)).length;
      if (made !== count) throw new Error(`the emulator lists ${made} of the ${count} volumes created under ${storage}`);
    },
    async stop() {
      if (alive(state.pid)) process.kill(state.pid, 'SIGTERM');
      // Its parent (the start script) is gone, so the pid may linger as a zombie: watch the port.
      const deadline = Date.now() + 10_000;
      while ((await portAnswers('127.0.0.1', port, 200)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (await portAnswers('127.0.0.1', port, 200)) process.kill(state.pid, 'SIGKILL');
    },
    async restart() {
      const log = openSync(`${state.dir}/emulator.log`, 'a');
      const child = spawn('/usr/bin/python3', ['emulator.py', '-port', String(port)], { cwd: state.dir, detached: true, stdio: ['ignore', log, log] });
      closeSync(log);
      child.unref();
      state.pid = child.pid!;
      emulator.pid = child.pid!;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (await request('GET', '/redfish/v1/').then((r) => r.status === 200, () => false)) return;
        if (!alive(state.pid)) throw new Error(`the emulator did not start again; see ${state.dir}/emulator.log`);
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the emulator did not answer within 60 s of its restart; see ${state.dir}/emulator.log`);
    },
    async destroy() {
      await emulator.stop();
      agent.destroy();
      rmSync(state.dir, { recursive: true, force: true });
    },
  };
  return emulator;
}
