// Access info as Delfin's StorageAccessInfoResponse, and Delfin's registration and update bodies
// as our inputs. Ports are text in Delfin's bodies, numbers in ours; no password or key is shown.
import type { AccessInfoView } from '../../loaders.js';
import type { StorageView } from '../../../db/stores/storage-store.js';
import type { RestAccessInput, SshAccessInput } from '../../types/inputs.js';
import { invalidInput } from '../errors.js';
import { compact } from './values.js';

export function toDelfinAccessInfo(storage: StorageView, a: AccessInfoView) {
  return compact({
    id: storage.id,
    storage_id: storage.id,
    vendor: storage.vendor,
    model: storage.model,
    rest: a.rest ? { host: a.rest.host, port: String(a.rest.port), username: a.rest.username } : null,
    ssh: a.ssh ? { host: a.ssh.host, port: String(a.ssh.port), username: a.ssh.username } : null,
    extra_attributes: a.extraAttributes ? textValues(a.extraAttributes) : null,
  });
}

/** Delfin's extra_attributes are a map of strings. */
function textValues(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

interface DelfinEndpoint {
  host?: string;
  port?: string;
  username?: string;
  password?: string;
  pub_key?: string;
}

export interface DelfinAccessBody {
  rest?: DelfinEndpoint;
  ssh?: DelfinEndpoint;
  cli?: DelfinEndpoint;
  smis?: DelfinEndpoint;
  extra_attributes?: Record<string, string>;
}

/** Delfin's rest/ssh parts as ours; cli and smis have no driver here. */
export function fromDelfinAccess(body: DelfinAccessBody, current?: AccessInfoView) {
  for (const part of ['cli', 'smis'] as const) {
    if (body[part]) throw invalidInput(`${part} access is not supported by this server: give rest or ssh.`, [part]);
  }
  return {
    rest: body.rest ? (endpoint('rest', body.rest, current?.rest) as RestAccessInput) : undefined,
    ssh: body.ssh ? (endpoint('ssh', body.ssh, current?.ssh) as SshAccessInput) : undefined,
    extraAttributes: body.extra_attributes,
  };
}

/** An endpoint of a body; an update may leave host and port out (they stay as they are). */
function endpoint(part: string, e: DelfinEndpoint, current?: { host: string; port: number } | null) {
  const host = e.host ?? current?.host;
  const portText = e.port ?? (current ? String(current.port) : undefined);
  if (!host) throw invalidInput(`${part}.host is required.`, [`${part}.host`]);
  if (!portText || !/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    throw invalidInput(`${part}.port must be a port number from 1 to 65535 (as text, e.g. "8443"); got ${JSON.stringify(portText ?? null)}.`, [`${part}.port`]);
  }
  return compact({ host, port: Number(portText), username: e.username, password: e.password, pubKey: e.pub_key });
}
