// One HTTPS connection pool (keep-alive) per driver instance, behind one small function, so
// moving to undici's Agent later changes only this file. Node's global fetch cannot take a
// custom CA or check a pinned certificate per connection, and undici is not a dependency.
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { DriverError, UnreachableError } from '../driver-error.js';
import { refusal, type TrustPolicy } from '../tls-trust.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface TransportOptions extends TrustPolicy {
  host: string;
  port: number;
  caCertificate: string | null;
  timeoutMs: number;
  /** Called at the first TLS connection of the transport when verifyTls is false. */
  onUnverified?: (where: string) => void;
}

/** The array is out of reach (no connection, dropped, silent); a GET may retry the passing ones. */
export class ConnectionError extends UnreachableError {
  constructor(message: string, readonly retryable: boolean) {
    super(message, 'connect');
  }
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class HttpsTransport {
  private readonly agent: https.Agent;
  private readonly where: string;
  private readonly checked = new WeakSet<TLSSocket>();
  private closed = false;
  private warned = false;

  constructor(private readonly o: TransportOptions) {
    this.where = `${o.host}:${o.port}`;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 64,
      ca: o.caCertificate ?? undefined,
      // Every connection makes a full handshake, so every one shows (and is checked on) its certificate.
      maxCachedSessions: 0,
      // Node's verdict is read in `refusal`, which also knows pinning and verifyTls: false.
      rejectUnauthorized: false,
    });
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    if (this.closed) return Promise.reject(new DriverError('driver is closed'));
    return new Promise((resolve, reject) => {
      const r = https.request(
        {
          agent: this.agent,
          host: this.o.host,
          port: this.o.port,
          method: req.method,
          path: req.path,
          headers: { Accept: 'application/json', 'OData-Version': '4.0', ...req.headers },
          timeout: this.o.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) r.destroy(new DriverError(`${this.where} sent an answer larger than ${MAX_BODY_BYTES} bytes`, 'connect'));
            else chunks.push(c);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(this.connectionError(err)));
        },
      );
      r.on('socket', (socket) => {
        const tls = socket as TLSSocket;
        // A pooled socket was checked when it connected; a new one is checked before use.
        if (!this.checked.has(tls)) tls.once('secureConnect', () => this.check(tls));
      });
      r.on('timeout', () => r.destroy(new ConnectionError(`${this.where} did not answer ${req.method} ${req.path} within ${this.o.timeoutMs} ms`, true)));
      r.on('error', (err) => reject(this.connectionError(err)));
      r.end(req.body);
    });
  }

  /** Closes every connection; requests still running fail. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private check(socket: TLSSocket): void {
    const refused = refusal(socket, this.o, this.where);
    if (refused) return void socket.destroy(refused);
    this.checked.add(socket);
    if (!this.o.verifyTls && !this.o.certificateFingerprint && !this.warned) {
      this.warned = true;
      this.o.onUnverified?.(this.where);
    }
  }

  private connectionError(err: Error & { code?: string }): DriverError {
    if (err instanceof DriverError) return err;
    const code = err.code ?? '';
    if (code === 'ECONNREFUSED') return new ConnectionError(`cannot reach ${this.where}: connection refused`, false);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConnectionError(`cannot resolve the host ${this.o.host}`, false);
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new ConnectionError(`cannot reach ${this.where}: no route to host`, false);
    const dropped = ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT'].includes(code) || /socket hang up/.test(err.message);
    if (dropped) return new ConnectionError(`the connection to ${this.where} failed: ${err.message}`, true);
    // Anything else (a TLS handshake the array got wrong, a protocol error): it answered, wrongly.
    return new DriverError(`the connection to ${this.where} failed: ${err.message}`, 'connect');
  }
}
