// A Redfish client for one array: JSON over the HTTPS transport (undici), within the array's request
// limit, with a session (X-Auth-Token) opened on first use, opened again once on a 401, and
// deleted on close; Basic auth where the service has no SessionService. GETs that meet a 5xx
// or a dropped connection are tried again with back-off. The token and the password never
// appear in an error message.
import { DriverError } from '../driver-error.js';
import { ConnectionError, HttpsTransport, type HttpRequest, type HttpResponse } from './https-transport.js';
import { limiterFor, type RequestLimiter } from './request-limiter.js';
import type { SwordfishOptions } from './swordfish-options.js';

export type Json = Record<string, unknown>;

export const SERVICE_ROOT = '/redfish/v1/';
const SESSIONS = '/redfish/v1/SessionService/Sessions';

interface Session {
  token: string;
  /** Where to DELETE it. */
  location: string | null;
}

type Auth = { kind: 'session'; session: Session } | { kind: 'basic' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Redfish answer that is not a success, with the status kept for callers that care (404). */
export class RedfishStatusError extends DriverError {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export class RedfishClient {
  private readonly transport: HttpsTransport;
  private readonly limiter: RequestLimiter;
  private readonly where: string;
  private auth: Promise<Auth> | null = null;
  private root: Promise<Json> | null = null;

  constructor(private readonly o: SwordfishOptions) {
    this.where = `${o.host}:${o.port}`;
    this.transport = new HttpsTransport({
      host: o.host,
      port: o.port,
      caCertificate: o.caCertificate,
      certificateFingerprint: o.certificateFingerprint,
      verifyTls: o.verifyTls,
      connections: o.maxConcurrentRequests,
      timeoutMs: o.requestTimeoutMs,
      onUnverified: (where) =>
        process.emitWarning(`TLS certificate of ${where} is not verified (rest.verifyTls is false): use this only in a lab`, {
          code: 'DELFIN_TLS_UNVERIFIED',
        }),
    });
    this.limiter = limiterFor(o.host, o.port, o.maxConcurrentRequests);
  }

  /** The service root: read once per driver instance, without credentials (Redfish allows it). */
  serviceRoot(): Promise<Json> {
    this.root ??= this.send({ method: 'GET', path: SERVICE_ROOT }).then((res) => this.json(res, SERVICE_ROOT));
    this.root.catch(() => (this.root = null));
    return this.root;
  }

  /** GET a resource; a 404 answers null (an absent collection is an empty one). */
  async getOptional(path: string): Promise<Json | null> {
    const res = await this.authorized({ method: 'GET', path });
    if (res.status === 404) return null;
    return this.json(res, path);
  }

  async get(path: string): Promise<Json> {
    const got = await this.getOptional(path);
    if (!got) throw new RedfishStatusError(`${this.where} has no resource ${path} (HTTP 404)`, 404);
    return got;
  }

  /** Deletes the session, if one was opened, and closes every connection. Never throws. */
  async close(): Promise<void> {
    const auth = await this.auth?.catch(() => null);
    this.auth = null;
    if (auth?.kind === 'session' && auth.session.location) {
      await this.send({ method: 'DELETE', path: auth.session.location, headers: { 'X-Auth-Token': auth.session.token } }).catch(() => undefined);
    }
    this.transport.close();
  }

  /** Sends with credentials; on a 401 of a session, opens a new one and tries once more. */
  private async authorized(req: HttpRequest): Promise<HttpResponse> {
    const auth = await this.login();
    const res = await this.withRetries(req, auth);
    if (res.status !== 401 || auth.kind !== 'session') return this.refusedIfDenied(res, req);
    if (this.auth && (await this.auth.catch(() => null)) === auth) this.auth = null;
    const again = await this.login();
    return this.refusedIfDenied(await this.withRetries(req, again), req);
  }

  private refusedIfDenied(res: HttpResponse, req: HttpRequest): HttpResponse {
    if (res.status === 401 || res.status === 403) {
      throw new DriverError(`${this.where} refused the credentials of user ${this.o.username} (HTTP ${res.status} on ${req.method} ${req.path})`, 'connect');
    }
    return res;
  }

  private login(): Promise<Auth> {
    if (!this.auth) {
      this.auth = this.openSession();
      this.auth.catch(() => (this.auth = null));
    }
    return this.auth;
  }

  private async openSession(): Promise<Auth> {
    const root = await this.serviceRoot();
    if (!link(root, 'SessionService')) return { kind: 'basic' };
    const path = (link(root.Links as Json, 'Sessions') ?? SESSIONS).replace(/\/$/, '');
    const res = await this.send({
      method: 'POST',
      path,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ UserName: this.o.username, Password: this.o.password }),
    });
    if (res.status === 401 || res.status === 403) {
      throw new DriverError(`${this.where} refused the credentials of user ${this.o.username} (HTTP ${res.status} when opening a session)`, 'connect');
    }
    // A service that lists a SessionService but cannot open sessions: fall back to Basic.
    if (res.status === 404 || res.status === 405 || res.status === 501) return { kind: 'basic' };
    const token = header(res, 'x-auth-token');
    if (res.status >= 300 || !token) {
      throw new DriverError(`${this.where} did not open a session (HTTP ${res.status}${token ? '' : ', no X-Auth-Token'})`, 'connect');
    }
    return { kind: 'session', session: { token, location: sessionLocation(res) } };
  }

  private async withRetries(req: HttpRequest, auth: Auth): Promise<HttpResponse> {
    const attempts = req.method === 'GET' ? this.o.getAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.send({ ...req, headers: { ...req.headers, ...credentials(auth, this.o) } });
        if (res.status < 500 || attempt >= attempts) return res;
      } catch (err) {
        if (!(err instanceof ConnectionError && err.retryable) || attempt >= attempts) throw err;
      }
      await sleep(this.o.retryBackoffMs * 2 ** (attempt - 1));
    }
  }

  private send(req: HttpRequest): Promise<HttpResponse> {
    return this.limiter.run(() => this.transport.request(req));
  }

  private json(res: HttpResponse, path: string): Json {
    if (res.status < 200 || res.status >= 300) {
      throw new RedfishStatusError(`${this.where} answered HTTP ${res.status} to GET ${path}${messageOf(res.body)}`, res.status);
    }
    try {
      const parsed: unknown = JSON.parse(res.body);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
    } catch {
      // fall through
    }
    throw new DriverError(`${this.where} answered GET ${path} with something that is not a JSON object`);
  }
}

function credentials(auth: Auth, o: SwordfishOptions): Record<string, string> {
  if (auth.kind === 'session') return { 'X-Auth-Token': auth.session.token };
  return { Authorization: `Basic ${Buffer.from(`${o.username}:${o.password}`, 'utf8').toString('base64')}` };
}

/** The @odata.id a property links to, if any. */
export function link(resource: Json | undefined | null, property: string): string | null {
  const v = resource?.[property] as Json | undefined;
  const id = v && typeof v === 'object' ? v['@odata.id'] : undefined;
  return typeof id === 'string' && id !== '' ? id : null;
}

function header(res: HttpResponse, name: string): string | null {
  const v = res.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

function sessionLocation(res: HttpResponse): string | null {
  const location = header(res, 'location');
  if (location) {
    try {
      return new URL(location, 'https://array.invalid').pathname;
    } catch {
      return null;
    }
  }
  try {
    const id = (JSON.parse(res.body) as Json)['@odata.id'];
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** The Redfish error message of an answer, short, for a human (never the request). */
function messageOf(body: string): string {
  try {
    const err = (JSON.parse(body) as Json).error as Json | undefined;
    const text = err?.message;
    return typeof text === 'string' ? `: ${text.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
