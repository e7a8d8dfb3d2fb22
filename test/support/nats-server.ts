// NATS servers of the test's own (the machine's nats-server binary, JetStream on, each store in
// a temporary directory), which the test may stop, kill and start again on the same ports and
// store without disturbing the shared server other tests use: one server, or a three-node cluster
// on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { freePort } from '../../src/lib/ports.js';

export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export interface PrivateNats {
  url: string;
  /** Stops the server (SIGTERM: JetStream flushes its store; SIGKILL: a crash) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it for good and removes its store. */
  destroy(): Promise<void>;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

/** One nats-server process that can be started, stopped or killed again and again. */
function natsProcess(port: number, args: string[], jetstream = true) {
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn(NATS_SERVER_BIN, ['-a', '127.0.0.1', '-p', String(port), ...(jetstream ? ['-js'] : []), ...args], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await listening(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`nats-server did not start on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    // A server that does not finish its shutdown (JetStream after a full disk, say) is killed.
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return { start, stop };
}

/** `jetstream: false` runs it as a plain NATS server (JetStream off), a misconfiguration to refuse. */
export async function startPrivateNats({ jetstream = true } = {}): Promise<PrivateNats> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'delfin-nats-'));
  const server = natsProcess(port, ['-sd', store], jetstream);
  await server.start();
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: () => server.stop(),
    start: server.start,
    async destroy() {
      await server.stop();
      rmSync(store, { recursive: true, force: true });
    },
  };
}

export interface ClusterNode {
  /** The server name (JetStream reports a stream's leader and replicas by it). */
  name: string;
  url: string;
  /** SIGKILL: the node dies as in a crash, without flushing or stepping down. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and store: it rejoins the cluster. */
  start(): Promise<void>;
  /** SIGTERM: the node shuts down cleanly (flushes its store). */
  stop(): Promise<void>;
}

export interface NatsCluster {
  /** Every node's URL, comma-separated (as NATS_URL takes them). */
  url: string;
  nodes: ClusterNode[];
  node(name: string): ClusterNode;
  /** Stops every node and removes their stores. */
  destroy(): Promise<void>;
}

/**
 * A JetStream cluster of `size` nodes on loopback; resolves once JetStream answers on it. Each
 * node's store is a new directory under `storeRoots[i]` (default: the system's temporary one),
 * say a small disk of its own that a test can fill.
 */
export async function startNatsCluster(size = 3, storeRoots: string[] = []): Promise<NatsCluster> {
  const clusterName = `delfin-test-${process.pid}`;
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), route: await freePort() })));
  const routes = ports.map((p) => `nats://127.0.0.1:${p.route}`).join(',');
  const stores: string[] = [];
  const servers = ports.map((p, i) => {
    const store = mkdtempSync(join(storeRoots[i] ?? tmpdir(), `delfin-nats-${i + 1}-`));
    stores.push(store);
    const name = `n${i + 1}`;
    const server = natsProcess(p.client, ['-sd', store, '--name', name, '--cluster_name', clusterName,
      '--cluster', `nats://127.0.0.1:${p.route}`, '--routes', routes]);
    return { name, url: `nats://127.0.0.1:${p.client}`, server };
  });
  const nodes: ClusterNode[] = servers.map(({ name, url, server }) => ({ name, url, kill: () => server.stop('SIGKILL'), stop: () => server.stop(), start: server.start }));
  const destroy = async () => {
    await Promise.all(servers.map((s) => s.server.stop()));
    for (const store of stores) rmSync(store, { recursive: true, force: true });
  };
  try {
    await Promise.all(servers.map((s) => s.server.start()));
    const url = nodes.map((n) => n.url).join(',');
    await waitForJetStream(url);
    return { url, nodes, node: (name) => nodes.find((n) => n.name === name)!, destroy };
  } catch (err) {
    await destroy();
    throw err;
  }
}

/** JetStream on a cluster answers once its nodes have elected a meta leader. */
async function waitForJetStream(url: string, timeoutMs = 30_000): Promise<void> {
  const nc = await connect({ servers: url.split(',') });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ok = await jetstreamManager(nc).then((jsm) => jsm.getAccountInfo()).then(() => true, () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`JetStream did not become ready on ${url}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await nc.close();
  }
}
