// The SNMP listener. net-snmp parses and authenticates; its authorizer is one list of
// communities and users for the whole socket, so before each datagram this receiver loads it
// with the credentials of the source(s) registered for the sender's address only: a community
// or user of one array is never accepted from another. net-snmp handles a datagram
// synchronously, so what it reports belongs to the datagram being handled.
import dgram from 'node:dgram';
import snmp from 'net-snmp';
import type { SnmpTrap } from '../drivers/driver.js';
import { normalizeAddress, type AlertSource } from './alert-source.js';
import { toSnmpTrap } from './trap.js';
import { trapFingerprint } from './parse-trap.js';
import { snmpVersionOf, v3Engine } from './v3-engine-id.js';
import { EngineClock } from './engine-clock.js';
import { udpSocketDrops } from './kernel-drops.js';

export type DropReason = 'unknown_sender' | 'wrong_community' | 'v3_auth_failed' | 'unknown_engine_id' | 'v3_not_in_time_window' | 'malformed';

export interface TrapHandlers {
  /** `fingerprint` names this sending of the trap (see trapFingerprint). */
  trap(source: AlertSource, trap: SnmpTrap, fingerprint: string): void;
  drop(reason: DropReason, senderAddress: string): void;
}

/** The default socket receive buffer asked for (DELFIN_TRAP_RECEIVE_BUFFER_BYTES). */
export const DEFAULT_RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

type Outcome = { kind: 'trap'; data: snmp.Notification } | { kind: 'error'; error: Error };
type MessageHandler = (buffer: Buffer, rinfo: snmp.RemoteInfo) => void;

export class TrapReceiver {
  private bySender = new Map<string, AlertSource[]>();
  private outcome: Outcome | undefined;
  private socket?: dgram.Socket;
  private receiver?: snmp.Receiver;
  private readonly clock = new EngineClock();
  private family: 'udp4' | 'udp6' = 'udp4';
  private boundPort = 0;
  /** The receive buffer the kernel granted (bytes; Linux reports twice what it reserves for data). */
  receiveBufferBytes = 0;

  constructor(
    private readonly handlers: TrapHandlers,
    private readonly askedReceiveBuffer = DEFAULT_RECEIVE_BUFFER_BYTES,
  ) {}

  /** Datagrams the kernel dropped for this socket (full receive buffer) since it opened; undefined: unknown. */
  kernelDrops(): number | undefined {
    return this.socket ? udpSocketDrops(this.boundPort, this.family) : undefined;
  }

  /** Replaces the known sources (as they change in PostgreSQL). */
  setSources(sources: readonly AlertSource[]): void {
    const bySender = new Map<string, AlertSource[]>();
    for (const s of sources) bySender.set(s.host, [...(bySender.get(s.host) ?? []), s]);
    this.bySender = bySender;
  }

  /** Binds the UDP socket; resolves with the port (useful with port 0). */
  async listen(host: string, port: number): Promise<number> {
    this.family = host.includes(':') ? 'udp6' : 'udp4';
    const bound = new Promise<number>((resolve, reject) => {
      this.receiver = snmp.createReceiver(
        // net-snmp reads port 0 as "the default" (162); the socket below binds the port asked for.
        { port: port || 162, address: host, transport: this.family, dgramModule: this.dgramModule(port, resolve, reject) },
        (error, data) => {
          this.outcome = error ? { kind: 'error', error } : { kind: 'trap', data: data! };
        },
      );
    });
    return bound;
  }

  async close(): Promise<void> {
    if (!this.socket) return;
    await new Promise<void>((resolve) => this.socket!.close(() => resolve()));
    this.socket = undefined;
  }

  /** A dgram module for net-snmp: real sockets, whose datagrams pass through `handle` first. */
  private dgramModule(port: number, resolve: (port: number) => void, reject: (err: Error) => void) {
    return {
      createSocket: (type: dgram.SocketType) => {
        const socket = dgram.createSocket(type);
        this.socket = socket;
        const bind = socket.bind.bind(socket);
        socket.bind = ((_port: number, address?: string) => bind(port, address ?? undefined)) as typeof socket.bind;
        socket.once('listening', () => {
          // A burst waits in the kernel while traps are parsed: ask for a large receive buffer
          // (the system caps it at net.core.rmem_max; what overflows it is counted, see kernelDrops).
          try {
            socket.setRecvBufferSize(this.askedReceiveBuffer);
          } catch {
            // keep the system default
          }
          this.receiveBufferBytes = socket.getRecvBufferSize();
          this.boundPort = socket.address().port;
          resolve(this.boundPort);
        });
        socket.once('error', reject);
        const on = socket.on.bind(socket);
        socket.on = ((event: string, listener: (...args: any[]) => void) => {
          if (event === 'message') return on('message', (buffer: Buffer, rinfo: snmp.RemoteInfo) => this.handleSafely(listener as MessageHandler, buffer, rinfo));
          if (event === 'error') return socket; // bind errors reject listen(); later ones are not net-snmp's to report
          return on(event as 'close', listener);
        }) as typeof socket.on;
        return socket;
      },
    };
  }

  /** No datagram, however malformed, may stop the receiver. */
  private handleSafely(netSnmp: MessageHandler, buffer: Buffer, rinfo: snmp.RemoteInfo): void {
    try {
      this.handle(netSnmp, buffer, rinfo);
    } catch {
      this.handlers.drop('malformed', normalizeAddress(rinfo.address));
    }
  }

  private handle(netSnmp: MessageHandler, buffer: Buffer, rinfo: snmp.RemoteInfo): void {
    const sender = normalizeAddress(rinfo.address);
    const atSender = this.bySender.get(sender);
    if (!atSender) return this.handlers.drop('unknown_sender', sender);
    const engine = v3Engine(buffer);
    const candidates = snmpVersionOf(buffer) === 3 ? v3Candidates(atSender, engine?.engineId) : atSender.filter((s) => s.version === 'V2C');
    if (candidates.length === 0) return this.handlers.drop(snmpVersionOf(buffer) === 3 ? 'unknown_engine_id' : 'wrong_community', sender);
    const authorizer = this.receiver!.getAuthorizer();
    let reason: DropReason = 'malformed';
    for (const source of candidates) {
      authorizer.communities = source.community !== null ? [source.community] : [];
      authorizer.users = source.username !== null ? [userOf(source)] : [];
      this.outcome = undefined;
      try {
        netSnmp(buffer, rinfo);
      } finally {
        authorizer.communities = [];
        authorizer.users = [];
      }
      const outcome = this.outcome as Outcome | undefined;
      this.outcome = undefined;
      // Nothing reported: net-snmp answered an SNMPv3 discovery (an inform's first step) itself.
      if (!outcome) return;
      if (outcome.kind === 'error') {
        reason = reasonOf(outcome.error);
        continue;
      }
      // Authenticated: now its engine boots and time can be trusted, and must be timely.
      if (engine?.engineId && !this.clock.accept(`${source.storageId}/${engine.engineId}`, engine.boots, engine.time)) {
        reason = 'v3_not_in_time_window';
        continue;
      }
      const { pdu } = outcome.data;
      const trap = toSnmpTrap(pdu, source.version === 'V3' ? 'V3' : 'V2C', sender, new Date());
      return this.handlers.trap(source, trap, trapFingerprint(`${sender}/${pdu.id ?? ''}/${pdu.upTime ?? ''}`, trap.trapOid, pdu.varbinds));
    }
    this.handlers.drop(reason, sender);
  }
}

/**
 * The v3 sources a message may be for: those of the engine it names (or of any engine). An
 * engine discovery (empty engine id) goes to the first, whose answer is the same for all.
 */
function v3Candidates(atSender: readonly AlertSource[], engineId: string | undefined): AlertSource[] {
  const v3 = atSender.filter((s) => s.version === 'V3');
  if (!engineId) return v3.slice(0, 1);
  return v3.filter((s) => s.engineId === null || s.engineId === engineId);
}

function userOf(s: AlertSource): snmp.User {
  const level = s.privacyProtocol ? snmp.SecurityLevel.authPriv : s.authProtocol ? snmp.SecurityLevel.authNoPriv : snmp.SecurityLevel.noAuthNoPriv;
  return {
    name: s.username!,
    level,
    ...(s.authProtocol ? { authProtocol: snmp.AuthProtocols[s.authProtocol.toLowerCase()], authKey: s.authKey! } : {}),
    ...(s.privacyProtocol ? { privProtocol: snmp.PrivProtocols[s.privacyProtocol.toLowerCase()], privKey: s.privacyKey! } : {}),
  };
}

/** net-snmp says why in words only; never log its error: it may carry the user and its keys. */
function reasonOf(error: Error): DropReason {
  const m = error.message;
  if (/community/i.test(m)) return 'wrong_community';
  if (/user|authenticat|digest|decrypt|privacy/i.test(m)) return 'v3_auth_failed';
  return 'malformed';
}
