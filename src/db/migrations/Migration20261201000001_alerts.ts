import { Migration } from '@mikro-orm/migrations';

/**
 * Alerts (issue 15). `alert_source`: where a storage's SNMP traps come from and how they are
 * authenticated (community and keys sealed by the SecretBox, like passwords); one per storage,
 * one per sender address and engine id, so a trap names one source. `alert`: what the traps
 * said; `(storage_id, sequence_number)` is unique, so several receivers taking the same trap
 * store it once, and a clear trap finds its alert. Both go with their storage (on delete cascade).
 */
export class Migration20261201000001_alerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table alert_source (
        storage_id uuid primary key references storage (id) on delete cascade,
        host text not null,
        version text not null,
        community_encrypted text,
        username text,
        auth_protocol text,
        auth_key_encrypted text,
        privacy_protocol text,
        privacy_key_encrypted text,
        engine_id text,
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`create unique index alert_source_sender_unique on alert_source (host, coalesce(engine_id, ''));`);
    this.addSql(`
      create table alert (
        id uuid primary key,
        storage_id uuid not null references storage (id) on delete cascade,
        alert_id text not null,
        alert_name text not null,
        severity text not null,
        category text not null,
        type text,
        description text not null,
        location text,
        resource_type text,
        sequence_number text not null,
        recovery_advice text,
        occurred_at timestamptz not null,
        received_at timestamptz not null default now(),
        cleared_at timestamptz,
        constraint alert_occurrence_unique unique (storage_id, sequence_number)
      );`);
    // The queries: a storage's alerts in id order, and the open ones (of a storage or all).
    this.addSql(`create index alert_storage_index on alert (storage_id, id);`);
    this.addSql(`create index alert_open_index on alert (storage_id, id) where cleared_at is null;`);
    this.addSql(`create index alert_open_all_index on alert (id) where cleared_at is null;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists alert;');
    this.addSql('drop table if exists alert_source;');
  }
}
