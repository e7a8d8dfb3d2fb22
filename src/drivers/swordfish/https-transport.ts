// HTTPS requests of one driver instance, through its array's shared undici pool (array-pools.ts:
// keep-alive, the trust policy checked on every new connection). Each request has its deadline;
// every failure becomes a DriverError saying whether the array is out of reach (and whether a
// GET may try again) or answered wrongly.
import { setMaxListeners } from 'node:events';
import type { Pool } from 'undici';
import { DriverError, UnreachableError } from '../driver-error.js';
import { MAX_BODY_BYTES, poolFor, type PoolSettings } from './array-pools.js';

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

export interface TransportOptions extends Omit<PoolSettings, 'connectTimeoutMs'> {
  /** Deadline of connecting, of the answer's headers and of each wait for its body. */
  timeoutMs: number;
  /** Called at the first answer through the transport when verifyTls is false. */
  onUnverified?: (where: string) => void;
}

/** The array is out of reach (no connection, dropped, silent); a GET may retry the passing ones. */
export class ConnectionError extends UnreachableError {
  constructor(message: string, readonly retryable: boolean) {
    super(message, 'connect');
  }
}

const TIMEOUTS = ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'];
const DROPPED = ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT'];

export class HttpsTransport {
  private readonly where: string;
  private readonly settings: PoolSettings;
  /** Ends this instance's requests on close; the pool, shared, stays for the others. */
  private readonly closing = new AbortController();
  private warned = false;

  constructor(private readonly o: TransportOptions) {
    this.where = `${o.host}:${o.port}`;
    this.settings = { ...o, connectTimeoutMs: o.timeoutMs };
    // One abort listener per request in flight: at most the largest request limit (64).
    setMaxListeners(64, this.closing.signal);
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    if (this.closing.signal.aborted) throw new DriverError('driver is closed');
    try {
      const res = await this.pool().request({
        method: req.method,
        path: req.path,
        headers: { Accept: 'application/json', 'OData-Version': '4.0', ...req.headers },
        body: req.body,
        headersTimeout: this.o.timeoutMs,
        bodyTimeout: this.o.timeoutMs,
        signal: this.closing.signal,
      });
      const body = await res.body.text();
      this.warnIfUnverified();
      return { status: res.statusCode, headers: res.headers, body };
    } catch (err) {
      throw this.connectionError(err as Error & { code?: string }, req);
    }
  }

  /** Ends this instance's requests still running (they fail); later ones are refused. */
  close(): void {
    this.closing.abort(new DriverError('driver is closed'));
  }

  private pool(): Pool {
    try {
      return poolFor(this.settings);
    } catch {
      // The settings are validated, so what undici refuses is a host that makes no URL.
      throw new ConnectionError(`cannot resolve the host ${this.o.host}`, false);
    }
  }

  private warnIfUnverified(): void {
    if (this.o.verifyTls || this.o.certificateFingerprint || this.warned) return;
    this.warned = true;
    this.o.onUnverified?.(this.where);
  }

  private connectionError(err: Error & { code?: string }, req: HttpRequest): DriverError {
    if (err instanceof DriverError) return err;
    const code = err.code ?? '';
    if (TIMEOUTS.includes(code)) return new ConnectionError(`${this.where} did not answer ${req.method} ${req.path} within ${this.o.timeoutMs} ms`, true);
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return new DriverError(`${this.where} sent an answer larger than ${MAX_BODY_BYTES} bytes`, 'connect');
    if (code === 'ECONNREFUSED') return new ConnectionError(`cannot reach ${this.where}: connection refused`, false);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConnectionError(`cannot resolve the host ${this.o.host}`, false);
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new ConnectionError(`cannot reach ${this.where}: no route to host`, false);
    if (DROPPED.includes(code)) return new ConnectionError(`the connection to ${this.where} failed: ${err.message}`, true);
    // Anything else (a TLS handshake the array got wrong, a protocol error): it answered, wrongly.
    return new DriverError(`the connection to ${this.where} failed: ${err.message}`, 'connect');
  }
}
