// The access_info table's store: how to reach each storage, its passwords sealed (secrets.ts).
// rotate-secrets.ts re-seals every row in its own transaction (an operator command).
import type { StoredEndpoint } from '../entities/index.js';
import type { Queryable } from '../sql.js';

export interface StoredAccess {
  rest: StoredEndpoint | null;
  ssh: StoredEndpoint | null;
  extraAttributes: Record<string, unknown> | null;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export async function insertAccessInfo(q: Queryable, storageId: string, a: StoredAccess): Promise<void> {
  await q.query('insert into access_info (storage_id, rest, ssh, extra_attributes) values ($1, $2, $3, $4)', [
    storageId, json(a.rest), json(a.ssh), json(a.extraAttributes),
  ]);
}

export async function replaceAccessInfo(q: Queryable, storageId: string, a: StoredAccess): Promise<void> {
  await q.query('update access_info set rest = $2, ssh = $3, extra_attributes = $4, updated_at = now() where storage_id = $1', [
    storageId, json(a.rest), json(a.ssh), json(a.extraAttributes),
  ]);
}

function fromRow(r: Record<string, unknown>): StoredAccess & { storageId: string } {
  return {
    storageId: r.storage_id as string,
    rest: (r.rest as StoredEndpoint | null) ?? null,
    ssh: (r.ssh as StoredEndpoint | null) ?? null,
    extraAttributes: (r.extra_attributes as Record<string, unknown> | null) ?? null,
  };
}

/** The stored access info of several storages (sealed passwords included: callers decide what shows). */
export async function getAccessInfos(q: Queryable, storageIds: readonly string[]): Promise<Array<StoredAccess & { storageId: string }>> {
  const { rows } = await q.query('select storage_id, rest, ssh, extra_attributes from access_info where storage_id = any($1::uuid[])', [storageIds]);
  return rows.map(fromRow);
}

/** What a worker needs to open a storage's driver: its vendor, model and access info. */
export async function getDeviceAccess(q: Queryable, storageId: string): Promise<(StoredAccess & { vendor: string; model: string }) | undefined> {
  const { rows } = await q.query(
    `select s.vendor, s.model, a.storage_id, a.rest, a.ssh, a.extra_attributes
     from storage s join access_info a on a.storage_id = s.id where s.id = $1`,
    [storageId],
  );
  return rows[0] ? { ...fromRow(rows[0]), vendor: rows[0].vendor as string, model: rows[0].model as string } : undefined;
}

/** Every storage's endpoints, locked until the transaction ends (key rotation). */
export async function lockAllEndpoints(q: Queryable): Promise<Array<{ storageId: string; rest: StoredEndpoint | null; ssh: StoredEndpoint | null }>> {
  const { rows } = await q.query('select storage_id, rest, ssh from access_info order by storage_id for update');
  return rows.map((r) => ({ storageId: r.storage_id as string, rest: (r.rest as StoredEndpoint | null) ?? null, ssh: (r.ssh as StoredEndpoint | null) ?? null }));
}

/** Endpoints re-sealed under a new key (extra attributes unchanged). */
export async function replaceEndpoints(q: Queryable, storageId: string, rest: StoredEndpoint | null, ssh: StoredEndpoint | null): Promise<void> {
  await q.query('update access_info set rest = $2, ssh = $3, updated_at = now() where storage_id = $1', [storageId, json(rest), json(ssh)]);
}
