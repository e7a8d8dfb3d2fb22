// The one writer of table alert_source. Community and keys are sealed by the SecretBox, like
// access passwords; only the receiver opens them, in memory.
import type { SecretBox } from '../db/secrets.js';
import type { Sql } from '../db/sql.js';
import { conflict } from '../errors.js';
import type { AlertSource, PublicAlertSource, SnmpAuthProtocol, SnmpPrivacyProtocol, SnmpVersion } from './alert-source.js';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

export class StorageGoneError extends Error {}

export class AlertSourceStore {
  constructor(
    private readonly sql: Sql,
    private readonly box: SecretBox,
  ) {}

  /** Creates or replaces a storage's source. Throws CONFLICT when another storage has its sender. */
  async set(source: AlertSource): Promise<void> {
    const seal = (v: string | null) => (v === null ? null : this.box.encrypt(v));
    try {
      await this.sql.query(
        `insert into alert_source (storage_id, host, version, community_encrypted, username, auth_protocol, auth_key_encrypted,
           privacy_protocol, privacy_key_encrypted, engine_id, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
         on conflict (storage_id) do update set host = excluded.host, version = excluded.version,
           community_encrypted = excluded.community_encrypted, username = excluded.username,
           auth_protocol = excluded.auth_protocol, auth_key_encrypted = excluded.auth_key_encrypted,
           privacy_protocol = excluded.privacy_protocol, privacy_key_encrypted = excluded.privacy_key_encrypted,
           engine_id = excluded.engine_id, updated_at = now()`,
        [source.storageId, source.host, source.version, seal(source.community), source.username, source.authProtocol,
          seal(source.authKey), source.privacyProtocol, seal(source.privacyKey), source.engineId],
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === UNIQUE_VIOLATION) {
        throw conflict(`Another storage's alert source already has host ${source.host}${source.engineId ? ` and engine id ${source.engineId}` : ''}: a trap must name one storage.`, { field: 'host' });
      }
      if (code === FOREIGN_KEY_VIOLATION) throw new StorageGoneError('the storage was deleted meanwhile');
      throw err;
    }
  }

  async remove(storageId: string): Promise<boolean> {
    const rows = await this.sql.query('delete from alert_source where storage_id = $1 returning storage_id', [storageId]);
    return rows.length > 0;
  }

  /** What the API shows of sources, by storage id. */
  async publicViews(storageIds: readonly string[]): Promise<Map<string, PublicAlertSource>> {
    const rows = await this.sql.query<Row>('select * from alert_source where storage_id = any($1::uuid[])', [storageIds]);
    return new Map(rows.map((r) => [r.storage_id, publicOf(r)]));
  }

  /** What the API shows of every source, by storage id (Delfin's GET /v1/storages/snmp-configs). */
  async allPublicViews(): Promise<Map<string, PublicAlertSource>> {
    const rows = await this.sql.query<Row>('select * from alert_source order by storage_id');
    return new Map(rows.map((r) => [r.storage_id, publicOf(r)]));
  }

  /**
   * Every source with its secrets opened: what the receiver authenticates with. A source whose
   * secrets do not open with this key is left out and named in `unreadable` (its traps drop).
   */
  async allOpened(): Promise<{ sources: AlertSource[]; unreadable: string[] }> {
    return this.opened(await this.sql.query<Row>('select * from alert_source'));
  }

  /** One storage's source with its secrets opened (to compare with a declared one); undefined: none or unreadable. */
  async openedOf(storageId: string): Promise<AlertSource | undefined> {
    const rows = await this.sql.query<Row>('select * from alert_source where storage_id = $1', [storageId]);
    return (await this.opened(rows)).sources[0];
  }

  private async opened(rows: Row[]): Promise<{ sources: AlertSource[]; unreadable: string[] }> {
    const open = (v: string | null) => (v === null ? null : this.box.decrypt(v));
    const sources: AlertSource[] = [];
    const unreadable: string[] = [];
    for (const r of rows) {
      try {
        sources.push({
          storageId: r.storage_id,
          host: r.host,
          version: r.version,
          community: open(r.community_encrypted),
          username: r.username,
          authProtocol: r.auth_protocol,
          authKey: open(r.auth_key_encrypted),
          privacyProtocol: r.privacy_protocol,
          privacyKey: open(r.privacy_key_encrypted),
          engineId: r.engine_id,
        });
      } catch {
        unreadable.push(r.storage_id);
      }
    }
    return { sources, unreadable };
  }
}

interface Row {
  storage_id: string;
  host: string;
  version: SnmpVersion;
  community_encrypted: string | null;
  username: string | null;
  auth_protocol: SnmpAuthProtocol | null;
  auth_key_encrypted: string | null;
  privacy_protocol: SnmpPrivacyProtocol | null;
  privacy_key_encrypted: string | null;
  engine_id: string | null;
}

const publicOf = (r: Row): PublicAlertSource => ({
  host: r.host, version: r.version, username: r.username, authProtocol: r.auth_protocol, privacyProtocol: r.privacy_protocol, engineId: r.engine_id,
});
